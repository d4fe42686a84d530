package org.clusterdns.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code scripts/deploy} as a process, with only the environment a test gives it. */
final class DeployScript {
  private static final long TIMEOUT_SECONDS = 30;

  private DeployScript() {}

  /** What one run printed and how it ended. */
  record Result(int exitCode, String stdout, String stderr) {}

  /**
   * Runs {@code scripts/deploy args} with {@code env} added to PATH and HOME only, so that DNS_*
   * variables of the developer's shell never reach it.
   */
  static Result run(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Repository.root().resolve("scripts/deploy").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(Repository.root().toFile());
    builder.environment().keySet().retainAll(List.of("PATH", "HOME"));
    builder.environment().putAll(env);
    try {
      Path stdout = Files.createTempFile("deploy-stdout", ".txt");
      Path stderr = Files.createTempFile("deploy-stderr", ".txt");
      try {
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("scripts/deploy did not finish in " + TIMEOUT_SECONDS + " s: " + command);
        }
        return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
            Files.readString(stderr, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  /** Runs {@code scripts/deploy --dry-run args}, requires success, and parses what it printed strictly. */
  static Addon dryRun(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of("--dry-run"));
    all.addAll(List.of(args));
    Result result = run(env, all.toArray(String[]::new));
    if (result.exitCode() != 0) {
      throw new AssertionError("scripts/deploy " + all + " exited " + result.exitCode() + ": " + result.stderr());
    }
    return Addon.of(StrictManifests.parse(result.stdout()));
  }
}
