package org.clusterdns.kube2sky.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Java program the benchmark started as a process of its own, so that its memory is its own:
 * resident set from {@code /proc/<pid>/status} and heap from {@code jcmd}.
 */
final class ChildJvm implements AutoCloseable {
  private static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");
  /**
   * A heap or generation line of {@code GC.heap_info}: G1 has one ("garbage-first heap total ...K,
   * used ...K"), the serial and parallel collectors one per generation.
   */
  private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");
  private static final Pattern METASPACE = Pattern.compile("Metaspace\\s+used (\\d+)K");
  private static final long STOP_SECONDS = 10;

  private final String name;
  private final Process process;
  private final Path log;

  private ChildJvm(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code java <jvmOptions> -jar <jar> <args>} with its output in {@code <workDir>/<name>.log},
   * and appends its PID to {@code pidFile}, so that the calling script can stop it even if this
   * program dies without cleaning up.
   */
  static ChildJvm start(String name, List<String> jvmOptions, Path jar, List<String> args, Path workDir,
      Path pidFile) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(JAVA_BIN.resolve("java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    Path log = workDir.resolve(name + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Files.writeString(pidFile, process.pid() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    Kube2SkyBench.log("started " + name + " (pid " + process.pid() + "): " + String.join(" ", command));
    return new ChildJvm(name, process, log);
  }

  String name() {
    return name;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Returns a field of {@code /proc/<pid>/status} in kB, such as {@code VmRSS} or {@code VmHWM} (peak RSS). */
  long statusKb(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
      }
    }
    throw new IOException("/proc/" + process.pid() + "/status has no " + field);
  }

  /** Heap and metaspace as {@code jcmd GC.heap_info} reports them, in kB. */
  record Heap(long committedKb, long usedKb, long metaspaceKb) {}

  /** Returns the heap now; with {@code collectFirst}, after a full collection, i.e. the live set. */
  Heap heap(boolean collectFirst) throws IOException, InterruptedException {
    if (collectFirst) {
      jcmd("GC.run");
    }
    String info = jcmd("GC.heap_info");
    Matcher heap = HEAP.matcher(info);
    long committed = 0;
    long used = 0;
    boolean found = false;
    while (heap.find()) {
      found = true;
      committed += Long.parseLong(heap.group(1));
      used += Long.parseLong(heap.group(2));
    }
    Matcher metaspace = METASPACE.matcher(info);
    if (!found || !metaspace.find()) {
      throw new IOException("cannot read jcmd GC.heap_info of " + name + ": " + info);
    }
    return new Heap(committed, used, Long.parseLong(metaspace.group(1)));
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process jcmd = new ProcessBuilder(JAVA_BIN.resolve("jcmd").toString(), Long.toString(process.pid()), command)
        .redirectErrorStream(true).start();
    String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      jcmd.destroyForcibly();
      throw new IOException("jcmd " + command + " failed for " + name + ": " + output);
    }
    return output;
  }

  /** Returns the last lines of the program's output, to say why it failed. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** Asks the program to stop (SIGTERM), and kills it when it has not within 10 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
