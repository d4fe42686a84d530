package org.clusterdns.kube2sky;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.clusterdns.kube2sky.config.Kube2SkyConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kube2sky command: exit codes and messages of {@link Main#run}, which never exits the JVM itself. */
class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return Main.run(args, new Kube2SkyConfigLoader(env), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpExitsZeroAndListsEveryFlag() {
    assertThat(run("--help")).isZero();

    assertThat(out()).contains("--domain", "--etcd-server", "--kube-master-url", "--kubecfg-file", "--healthz-port",
        "--path-prefix", "--resync-period", "--legacy-names", "--tls-key", "--tls-pem", "--ca-cert", "--version",
        "ETCD_MACHINES");
    assertThat(err()).isEmpty();
  }

  @Test
  void versionExitsZeroAndPrintsTheVersionLine() {
    assertThat(run("--version")).isZero();

    assertThat(out()).startsWith("kube2sky version: ");
    assertThat(err()).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "--domain, bad..x",
      "--etcd-server, ftp://x",
      "--resync-period, -5m",
      "--kubecfg-file, /nonexistent",
      "--healthz-port, 70000",
      "--path-prefix, a/b",
  })
  void anInvalidFlagValueExitsTwoNamingTheFlag(String flag, String value) {
    assertThat(run(flag, value)).isEqualTo(2);

    assertThat(err()).startsWith("kube2sky: ").contains(flag);
    assertThat(out()).isEmpty();
  }

  @Test
  void anInvalidFlagValueWrittenWithEqualsExitsTwo() {
    assertThat(run("--resync-period=-5m")).isEqualTo(2);

    assertThat(err()).contains("--resync-period");
  }

  @Test
  void anUnknownFlagExitsTwoNamingIt() {
    assertThat(run("--bogus")).isEqualTo(2);

    assertThat(err()).startsWith("kube2sky: ").contains("--bogus");
  }

  @Test
  void aMissingValueExitsTwoNamingTheFlag() {
    assertThat(run("--domain")).isEqualTo(2);

    assertThat(err()).contains("--domain");
  }

  @Test
  void anInvalidEnvironmentVariableExitsTwoNamingIt() {
    assertThat(run(Map.of("ETCD_MACHINES", "ftp://x"))).isEqualTo(2);

    assertThat(err()).contains("ETCD_MACHINES");
  }

  @Test
  void aTakenHealthPortExitsOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int status = run("--healthz-bind-address", "127.0.0.1", "--healthz-port", String.valueOf(taken.getLocalPort()),
          "--kube-master-url", "http://127.0.0.1:1", "--etcd-server", "http://127.0.0.1:1");

      assertThat(status).isEqualTo(1);
      assertThat(err()).startsWith("kube2sky: cannot start");
    }
  }
}
