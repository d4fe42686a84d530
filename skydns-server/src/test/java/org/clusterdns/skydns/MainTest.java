package org.clusterdns.skydns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.clusterdns.skydns.config.ServerConfigLoader;
import org.clusterdns.etcd.testing.EtcdProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The skydns-server command's exits that do not start a server: help, version and every kind of
 * invalid configuration, with their exit codes and what they print where.
 */
class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private Path resolvConf;

  @BeforeEach
  void writeResolvConf(@TempDir Path directory) throws IOException {
    resolvConf = directory.resolve("resolv.conf");
    Files.writeString(resolvConf, "nameserver 127.0.0.1\n", StandardCharsets.US_ASCII);
  }

  private int run(Map<String, String> env, String... args) {
    return Main.run(args, new ServerConfigLoader(env, resolvConf),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsTheOptionsAndExitsZero() {
    assertThat(run(Map.of(), "--help")).isZero();

    assertThat(out()).contains("Usage:", "-addr", "-machines", "-domain", "-nameservers", "-round-robin",
        "-health-addr", "ETCD_MACHINES", "PROMETHEUS_PORT");
    assertThat(err()).isEmpty();
  }

  @Test
  void helpWinsOverOtherFlags() {
    assertThat(run(Map.of(), "-domain", "example.org.", "-help")).isZero();

    assertThat(out()).contains("Usage:");
  }

  @Test
  void versionPrintsSkyDnssLineAndExitsZero() {
    assertThat(run(Map.of(), "-version")).isZero();

    assertThat(out()).isEqualTo(ServerConfigLoader.VERSION_LINE + System.lineSeparator());
    assertThat(err()).isEmpty();
  }

  static Stream<Arguments> invalidFlags() {
    return Stream.of(
        Arguments.of("-addr", new String[] {"-addr", "nonsense"}),
        Arguments.of("-addr", new String[] {"-addr", "127.0.0.1:0"}),
        Arguments.of("-addr", new String[] {"-addr=localhost:53"}),
        Arguments.of("-ndots", new String[] {"-ndots", "x"}),
        Arguments.of("-machines", new String[] {"-machines", "ftp://x"}),
        Arguments.of("-machines", new String[] {"-machines", "http://"}),
        Arguments.of("-nameservers", new String[] {"-nameservers", "8.8.8.8"}),
        Arguments.of("-domain", new String[] {"-domain", "bad..domain"}),
        Arguments.of("-round-robin", new String[] {"-round-robin=maybe"}),
        Arguments.of("-bogus", new String[] {"-bogus"}),
        Arguments.of("-addr", new String[] {"-addr"}));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("invalidFlags")
  void invalidFlagExitsTwoNamingTheSetting(String setting, String[] args) {
    assertThat(run(Map.of(), args)).isEqualTo(2);

    assertThat(err()).startsWith("skydns-server: ").contains(setting);
    assertThat(out()).isEmpty();
  }

  /**
   * Regression: for flags picocli refuses (unknown, value missing) the loader already appends
   * "(see -help)" and Main appended "(see --help)" again.
   */
  @Test
  void refusedFlagMessageGivesTheHelpHintOnce() {
    assertThat(run(Map.of(), "-bogus")).isEqualTo(2);

    assertThat(err()).containsOnlyOnce("(see -");
  }

  @Test
  void invalidEnvironmentVariableExitsTwoNamingIt() {
    assertThat(run(Map.of("SKYDNS_NDOTS", "many"))).isEqualTo(2);

    assertThat(err()).contains("SKYDNS_NDOTS", "many");
  }

  @Test
  void flagOverridesAnInvalidEnvironmentVariable() {
    assertThat(run(Map.of("SKYDNS_ADDR", "nonsense"), "-addr", "127.0.0.1:53", "-ndots", "x")).isEqualTo(2);

    assertThat(err()).contains("-ndots").doesNotContain("SKYDNS_ADDR");
  }

  /**
   * systemd socket activation is accepted by the loader but cannot be served. The check comes after
   * the etcd configuration object is read (which can also set it), so etcd is a closed port here
   * and the read gives up after its timeout.
   */
  @Test
  void systemdExitsTwoNamingIt() {
    String machines = "http://127.0.0.1:" + EtcdProcess.freePort();

    assertThat(run(Map.of(), "-systemd", "-machines", machines)).isEqualTo(2);

    assertThat(err()).contains("-systemd");
    assertThat(out()).isEmpty();
  }

  /**
   * An address in use ends start-up with exit code 1. Like the -systemd case, this first waits for
   * the etcd configuration object to time out; the test's own time limit stops a server that would
   * start anyway instead of blocking the suite.
   */
  @Test
  void addressInUseExitsOneNamingTheAddress() throws IOException {
    String machines = "http://127.0.0.1:" + EtcdProcess.freePort();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + taken.getLocalPort();

      int code = assertTimeoutPreemptively(Duration.ofSeconds(60),
          () -> run(Map.of(), "-addr", address, "-machines", machines, "-health-addr", "127.0.0.1:0"));

      assertThat(code).isEqualTo(1);
      assertThat(err()).startsWith("skydns-server: cannot start").contains(address);
    }
  }
}
