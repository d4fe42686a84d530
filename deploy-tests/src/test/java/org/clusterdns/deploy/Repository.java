package org.clusterdns.deploy;

import java.nio.file.Path;

/** Where the repository under test is, and its version, as the build passes them to the tests. */
final class Repository {
  private Repository() {}

  /** Returns the repository's root folder (the one holding scripts/, manifests/ and the templates). */
  static Path root() {
    return Path.of(System.getProperty("repository.root", "..")).toAbsolutePath().normalize();
  }

  /** Returns the release the images are tagged with: the Maven version without {@code -SNAPSHOT}. */
  static String imageTag() {
    return System.getProperty("project.version", "0.1.0-SNAPSHOT").replace("-SNAPSHOT", "");
  }
}
