package org.clusterdns.etcd.testing;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.clusterdns.etcd.EtcdClients;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.clusterdns.etcd.EtcdConfig;

/**
 * A real etcd (the Debian {@code etcd} binary) on free loopback ports with its data in a
 * temporary directory, for integration tests.
 *
 * <p>It can run plain, with TLS and client certificates (made with {@code openssl} in the
 * temporary directory), or with authentication enabled for {@code root}. It can be stopped,
 * killed and restarted on the same ports, with or without its data, so tests can reproduce an
 * etcd that crashes or comes back empty. Only the process started here is ever signalled.
 * {@link #close()} stops it and deletes the directory.
 */
public final class EtcdProcess implements AutoCloseable {
  /** The password of {@code root} in {@link Mode#AUTH}. */
  public static final String ROOT_PASSWORD = "root-secret";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final int START_ATTEMPTS = 3;

  /** How clients reach the etcd. */
  public enum Mode {
    /** Plain HTTP, no authentication. */
    PLAIN,
    /** HTTPS with a test CA; clients must present a certificate the CA signed. */
    TLS,
    /** Plain HTTP with authentication enabled; user {@code root}, password {@link #ROOT_PASSWORD}. */
    AUTH
  }

  private final Mode mode;
  private final Path directory;
  private final Path dataDirectory;
  private final Path logFile;
  private final String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
  private final Optional<TestCertificates> certificates;
  private final List<String> extraArguments;
  private int clientPort;
  private int peerPort;
  private Process process;

  private EtcdProcess(Mode mode, Path directory, List<String> extraArguments) throws IOException {
    this.mode = mode;
    this.extraArguments = List.copyOf(extraArguments);
    this.directory = directory;
    this.dataDirectory = directory.resolve("data");
    this.logFile = directory.resolve("etcd.log");
    this.certificates = mode == Mode.TLS
        ? Optional.of(TestCertificates.create(directory.resolve("tls")))
        : Optional.empty();
  }

  /**
   * Starts an etcd in {@code mode}, with {@code extraArguments} on its command line (such as
   * {@code --max-txn-ops=1024}), and returns once it answers requests.
   */
  public static EtcdProcess start(Mode mode, String... extraArguments) {
    EtcdProcess etcd = null;
    try {
      etcd = new EtcdProcess(mode, Files.createTempDirectory("etcd-it-"), List.of(extraArguments));
      etcd.startOnFreePorts();
      if (mode == Mode.AUTH) {
        etcd.enableAuth();
      }
      return etcd;
    } catch (IOException | RuntimeException e) {
      if (etcd != null) {
        etcd.close();
      }
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** Returns the client URL, such as {@code http://127.0.0.1:41234}. */
  public URI endpoint() {
    return URI.create((mode == Mode.TLS ? "https" : "http") + "://127.0.0.1:" + clientPort);
  }

  /** Returns the TLS files, present in {@link Mode#TLS}. */
  public Optional<TestCertificates> certificates() {
    return certificates;
  }

  /**
   * Returns a configuration that reaches this etcd with full rights (the client certificate in
   * TLS mode, {@code root} in auth mode) for records under {@code prefix}.
   */
  public EtcdConfig config(String prefix) {
    return new EtcdConfig(List.of(endpoint()), prefix,
        certificates.map(TestCertificates::caCert),
        certificates.map(TestCertificates::clientCert),
        certificates.map(TestCertificates::clientKey),
        mode == Mode.AUTH ? Optional.of("root") : Optional.empty(),
        mode == Mode.AUTH ? Optional.of(ROOT_PASSWORD) : Optional.empty(),
        Duration.ofSeconds(2));
  }

  /** Returns a new client with full rights; the caller closes it. */
  public Client newClient() {
    return EtcdClients.create(config("skydns"));
  }

  /** Stops etcd with SIGTERM, and SIGKILL if it has not exited within a few seconds. */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
    process = null;
  }

  /** Kills etcd with SIGKILL, as a crash would, and waits for it to be gone. */
  public void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /**
   * Stops etcd if it runs and starts it again on the same ports; with {@code wipeData} its data
   * directory is deleted first, so it comes back empty (revision 1) with the same cluster ID.
   */
  public void restart(boolean wipeData) {
    stop();
    if (wipeData) {
      deleteRecursively(dataDirectory);
    }
    relaunchOnTheSamePorts();
    if (wipeData && mode == Mode.AUTH) {
      enableAuth();
    }
  }

  /** Returns the last lines etcd logged, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no etcd log: " + e.getMessage() + ")";
    }
  }

  /** Stops etcd and deletes its directory. */
  @Override
  public void close() {
    stop();
    deleteRecursively(directory);
  }

  private void startOnFreePorts() {
    RuntimeException last = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      clientPort = freePort();
      peerPort = freePort();
      try {
        launch();
        return;
      } catch (PortTakenException e) {
        // Another process took a port between our probe and etcd's bind; pick new ones.
        last = e;
      }
    }
    throw last;
  }

  private void relaunchOnTheSamePorts() {
    for (int attempt = 1; ; attempt++) {
      try {
        launch();
        return;
      } catch (PortTakenException e) {
        // Clients keep the endpoint across a restart, so the ports cannot change: another process
        // took one while etcd was down, and etcd gets it back once that process lets go.
        if (attempt == START_ATTEMPTS) {
          throw e;
        }
        awaitPortsFree();
      }
    }
  }

  private void awaitPortsFree() {
    try {
      Awaitility.await("ports " + clientPort + " and " + peerPort + " free for etcd")
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> isFree(clientPort) && isFree(peerPort));
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("etcd's ports stayed taken:\n" + logTail(), e);
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void launch() {
    String client = "http" + (mode == Mode.TLS ? "s" : "") + "://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    List<String> command = new ArrayList<>(List.of(etcdBinary(),
        "--name", name,
        "--data-dir", dataDirectory.toString(),
        "--listen-client-urls", client,
        "--advertise-client-urls", client,
        "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer,
        "--initial-cluster", name + "=" + peer,
        "--initial-cluster-token", name,
        "--initial-cluster-state", "new"));
    command.addAll(extraArguments);
    certificates.ifPresent(tls -> command.addAll(List.of(
        "--client-cert-auth",
        "--trusted-ca-file", tls.caCert().toString(),
        "--cert-file", tls.serverCert().toString(),
        "--key-file", tls.serverKey().toString())));
    try {
      Files.writeString(logFile, "=== " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
    awaitHealthy();
  }

  /** Waits until etcd answers a read; fails with the log tail if it exits or does not answer. */
  private void awaitHealthy() {
    // Without credentials, so the probe works before and after authentication is enabled: an
    // "etcdserver: ..." refusal also shows that etcd serves requests.
    EtcdConfig full = config("skydns");
    EtcdConfig anonymous = new EtcdConfig(full.endpoints(), full.pathPrefix(), full.caCert(),
        full.clientCert(), full.clientKey(), Optional.empty(), Optional.empty(), full.requestTimeout());
    try (Client client = EtcdClients.create(anonymous)) {
      Awaitility.await("etcd " + endpoint() + " healthy")
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> answers(client));
    } catch (ConditionTimeoutException e) {
      kill();
      throw new IllegalStateException("etcd did not become healthy within " + START_TIMEOUT + ":\n" + logTail(), e);
    }
  }

  private boolean answers(Client client) throws InterruptedException {
    if (!process.isAlive()) {
      String tail = logTail();
      process = null;
      // Only this launch's lines: an earlier launch that lost its port must not speak for this one.
      if (tail.substring(Math.max(0, tail.lastIndexOf("=== "))).contains("address already in use")) {
        throw new PortTakenException(tail);
      }
      throw new IllegalStateException("etcd exited during start-up:\n" + tail);
    }
    try {
      client.getKVClient().get(ByteSequence.from("/health-probe", StandardCharsets.UTF_8))
          .get(500, TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      return String.valueOf(e.getCause().getMessage()).contains("etcdserver:");
    } catch (TimeoutException e) {
      return false;
    }
  }

  private void enableAuth() {
    ByteSequence root = ByteSequence.from("root", StandardCharsets.UTF_8);
    // Before auth is on, the client's credentials are not checked.
    try (Client client = Client.builder().endpoints(endpoint()).build()) {
      client.getAuthClient().roleAdd(root).get(5, TimeUnit.SECONDS);
      client.getAuthClient().userAdd(root, ByteSequence.from(ROOT_PASSWORD, StandardCharsets.UTF_8))
          .get(5, TimeUnit.SECONDS);
      client.getAuthClient().userGrantRole(root, root).get(5, TimeUnit.SECONDS);
      client.getAuthClient().authEnable().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot enable etcd authentication:\n" + logTail(), e);
    }
  }

  private static String etcdBinary() {
    String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String dir : pathVariable.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "etcd");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return "/usr/bin/etcd";
  }

  /** Returns a loopback port that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** etcd could not bind a port that looked free. */
  private static final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String log) {
      super("etcd could not bind its ports:\n" + log);
    }
  }
}
