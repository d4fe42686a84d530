package org.clusterdns.process.flags;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Checks settings that name a file the process will read (certificates, keys, kubeconfig). */
public final class ReadableFiles {
  private ReadableFiles() {}

  /**
   * Returns {@code value} as a path to a readable regular file.
   *
   * @throws ConfigException naming {@code source} when it is no path or no readable file is there
   */
  public static Path require(String source, String value) {
    Path path;
    try {
      path = Path.of(value);
    } catch (InvalidPathException e) {
      throw ConfigException.invalid(source, value, "not a file path");
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw ConfigException.invalid(source, value, "no readable file there");
    }
    return path;
  }
}
