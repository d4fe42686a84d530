package org.clusterdns.kube2sky.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.clusterdns.etcd.EtcdConfig;
import org.clusterdns.process.flags.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Kube2SkyConfigLoaderTest {
  @TempDir
  static Path files;

  private static Path keyFile;
  private static Path certFile;
  private static Path caFile;
  private static Path kubeconfig;

  @BeforeAll
  static void writeFiles() throws IOException {
    keyFile = Files.writeString(files.resolve("client.key"), "key");
    certFile = Files.writeString(files.resolve("client.pem"), "cert");
    caFile = Files.writeString(files.resolve("ca.pem"), "ca");
    kubeconfig = Files.writeString(files.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
  }

  private static Kube2SkyConfig load(Map<String, String> env, String... args) {
    Kube2SkyConfigLoader.Result result = new Kube2SkyConfigLoader(env).parse(args);
    assertThat(result).isInstanceOf(Kube2SkyConfigLoader.Start.class);
    return ((Kube2SkyConfigLoader.Start) result).config();
  }

  private static Kube2SkyConfig flags(String... args) {
    return load(Map.of(), args);
  }

  @Test
  void defaults() {
    Kube2SkyConfig config = flags();

    assertThat(config.domain()).isEqualTo("cluster.local.");
    assertThat(config.etcd()).isEqualTo(new EtcdConfig(List.of(URI.create("http://127.0.0.1:2379")), "skydns",
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5)));
    assertThat(config.kubeMasterUrl()).isEmpty();
    assertThat(config.kubecfgFile()).isEmpty();
    assertThat(config.healthzAddress()).isEqualTo(new InetSocketAddress("0.0.0.0", 8081));
    assertThat(config.resyncPeriod()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.legacyNames()).isFalse();
    assertThat(config.etcdMaxTxnOps()).as("etcd's own default").isEqualTo(128);
  }

  @Test
  void everyFlag() {
    Kube2SkyConfig config = flags(
        "--domain=Example.ORG",
        "--etcd-server", "https://10.0.0.1:2379,https://10.0.0.2:2379",
        "--etcd-server=https://10.0.0.3:2379",
        "--tls-key", keyFile.toString(),
        "--tls-pem", certFile.toString(),
        "--ca-cert", caFile.toString(),
        "--username", "kube2sky",
        "--password", "s3cret",
        "--etcd-request-timeout", "1500ms",
        "--path-prefix", "/dns/",
        "--kube-master-url", "https://10.96.0.1:443",
        "--kubecfg-file", kubeconfig.toString(),
        "--healthz-port", "0",
        "--healthz-bind-address", "127.0.0.1",
        "--resync-period", "1h30m",
        "--etcd-max-txn-ops", "1024",
        "--legacy-names");

    assertThat(config.domain()).isEqualTo("example.org.");
    assertThat(config.etcd()).isEqualTo(new EtcdConfig(
        List.of(URI.create("https://10.0.0.1:2379"), URI.create("https://10.0.0.2:2379"), URI.create("https://10.0.0.3:2379")),
        "dns", Optional.of(caFile), Optional.of(certFile), Optional.of(keyFile), Optional.of("kube2sky"),
        Optional.of("s3cret"), Duration.ofMillis(1500)));
    assertThat(config.kubeMasterUrl()).contains(URI.create("https://10.96.0.1:443"));
    assertThat(config.kubecfgFile()).contains(kubeconfig);
    assertThat(config.healthzAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 0));
    assertThat(config.resyncPeriod()).isEqualTo(Duration.ofMinutes(90));
    assertThat(config.legacyNames()).isTrue();
    assertThat(config.etcdMaxTxnOps()).isEqualTo(1024);
  }

  @Test
  void underscoreSpellingsAreAccepted() {
    Kube2SkyConfig config = flags(
        "--etcd_server=http://10.0.0.1:4001",
        "--kube_master_url", "http://10.96.0.1:8080",
        "--kubecfg_file=" + kubeconfig,
        "--healthz_port", "9000",
        "--healthz_bind_address=::1",
        "--path_prefix", "other",
        "--resync_period=30s",
        "--etcd_request_timeout", "2s",
        "--tls_key", keyFile.toString(), "--tls_pem", certFile.toString(), "--ca_cert", caFile.toString(),
        "--legacy_names=true");

    assertThat(config.etcd().endpoints()).containsExactly(URI.create("http://10.0.0.1:4001"));
    assertThat(config.kubeMasterUrl()).contains(URI.create("http://10.96.0.1:8080"));
    assertThat(config.kubecfgFile()).contains(kubeconfig);
    assertThat(config.healthzAddress()).isEqualTo(new InetSocketAddress("::1", 9000));
    assertThat(config.etcd().pathPrefix()).isEqualTo("other");
    assertThat(config.resyncPeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.etcd().requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.etcd().clientKey()).contains(keyFile);
    assertThat(config.etcd().clientCert()).contains(certFile);
    assertThat(config.etcd().caCert()).contains(caFile);
    assertThat(config.legacyNames()).isTrue();
  }

  @Test
  void aValueThatLooksLikeAnUnderscoreFlagIsLeftAlone() {
    Kube2SkyConfig config = flags("--username", "u", "--password", "--tls_key");

    assertThat(config.etcd().password()).contains("--tls_key");
  }

  @Test
  void environmentVariablesAreTheFallback() {
    Kube2SkyConfig config = load(Map.of(
        "ETCD_MACHINES", "http://10.0.0.1:2379,http://10.0.0.2:2379",
        "ETCD_TLSKEY", keyFile.toString(),
        "ETCD_TLSPEM", certFile.toString(),
        "ETCD_CACERT", caFile.toString(),
        "ETCD_USERNAME", "kube2sky",
        "ETCD_PASSWORD", "s3cret"));

    assertThat(config.etcd()).isEqualTo(new EtcdConfig(
        List.of(URI.create("http://10.0.0.1:2379"), URI.create("http://10.0.0.2:2379")), "skydns",
        Optional.of(caFile), Optional.of(certFile), Optional.of(keyFile), Optional.of("kube2sky"),
        Optional.of("s3cret"), Duration.ofSeconds(5)));
  }

  @Test
  void flagsWinOverEnvironmentVariables() {
    Kube2SkyConfig config = load(Map.of("ETCD_MACHINES", "http://10.0.0.1:2379", "ETCD_USERNAME", "env-user",
        "ETCD_PASSWORD", "env-password"), "--etcd-server", "http://10.0.0.9:2379", "--username", "flag-user");

    assertThat(config.etcd().endpoints()).containsExactly(URI.create("http://10.0.0.9:2379"));
    assertThat(config.etcd().username()).contains("flag-user");
    assertThat(config.etcd().password()).contains("env-password");
  }

  @Test
  void emptyEnvironmentVariablesCountAsUnset() {
    Kube2SkyConfig config = load(Map.of("ETCD_MACHINES", "", "ETCD_CACERT", ""));

    assertThat(config.etcd().endpoints()).containsExactly(URI.create("http://127.0.0.1:2379"));
    assertThat(config.etcd().caCert()).isEmpty();
  }

  @Test
  void theKubeMasterUrlExpandsEnvironmentVariablesAsKube2skyDid() {
    Kube2SkyConfig config = load(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"),
        "--kube-master-url=https://${KUBERNETES_SERVICE_HOST}:$KUBERNETES_SERVICE_PORT/");

    assertThat(config.kubeMasterUrl()).contains(URI.create("https://10.96.0.1:443/"));
  }

  @Test
  void theLastOccurrenceOfAFlagWins() {
    assertThat(flags("--domain", "a.example", "--domain", "b.example").domain()).isEqualTo("b.example.");
  }

  @Test
  void booleansTakeGoSyntax() {
    assertThat(flags("--legacy-names=false").legacyNames()).isFalse();
    assertThat(flags("--legacy-names=1").legacyNames()).isTrue();
    assertThat(flags("--legacy-names=T").legacyNames()).isTrue();
  }

  @Test
  void anAbsoluteDomainStaysAbsolute() {
    assertThat(flags("--domain", "cluster.local.").domain()).isEqualTo("cluster.local.");
  }

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of(new String[] {"--domain", ""}, "--domain: invalid value ''"),
        Arguments.of(new String[] {"--domain", "."}, "--domain: invalid value '.'"),
        Arguments.of(new String[] {"--domain", "bad_label.local"}, "--domain: invalid value 'bad_label.local'"),
        Arguments.of(new String[] {"--domain", "-bad.local"}, "--domain: invalid value '-bad.local'"),
        Arguments.of(new String[] {"--domain", "a..local"}, "--domain: invalid value 'a..local'"),
        Arguments.of(new String[] {"--domain", "any.example"}, "--domain: invalid value 'any.example'"),
        Arguments.of(new String[] {"--domain", "a".repeat(64) + ".local"}, "--domain: invalid value"),
        Arguments.of(new String[] {"--domain", ("abc." ).repeat(64) + "local"}, "at most 253 characters"),
        Arguments.of(new String[] {"--etcd-server", "10.0.0.1:2379"}, "--etcd-server: invalid value '10.0.0.1:2379'"),
        Arguments.of(new String[] {"--etcd-server", "http://10.0.0.1"}, "--etcd-server: invalid value 'http://10.0.0.1'"),
        Arguments.of(new String[] {"--etcd-server", "ftp://10.0.0.1:2379"}, "--etcd-server: invalid value"),
        Arguments.of(new String[] {"--etcd-server", "http://[bad:2379"}, "is not a URL"),
        Arguments.of(new String[] {"--etcd-server", ","}, "at least one etcd endpoint is needed"),
        Arguments.of(new String[] {"--tls-key", "/nonexistent/key", "--tls-pem", "/nonexistent/pem"},
            "--tls-pem: invalid value '/nonexistent/pem': no readable file there"),
        Arguments.of(new String[] {"--ca-cert", "/nonexistent/ca"}, "--ca-cert: invalid value '/nonexistent/ca'"),
        Arguments.of(new String[] {"--tls-key", "/k"}, "--tls-key is set but --tls-pem (or ETCD_TLSPEM) is not"),
        Arguments.of(new String[] {"--tls-pem", "/p"}, "--tls-pem is set but --tls-key (or ETCD_TLSKEY) is not"),
        Arguments.of(new String[] {"--username", "u"}, "--username is set but --password (or ETCD_PASSWORD) is not"),
        Arguments.of(new String[] {"--password", "p"}, "--password is set but --username (or ETCD_USERNAME) is not"),
        Arguments.of(new String[] {"--etcd-request-timeout", "5"}, "--etcd-request-timeout: invalid value '5'"),
        Arguments.of(new String[] {"--etcd-max-txn-ops", "1"}, "--etcd-max-txn-ops: invalid value '1'"),
        Arguments.of(new String[] {"--etcd-max-txn-ops", "many"}, "--etcd-max-txn-ops: invalid value 'many'"),
        Arguments.of(new String[] {"--etcd-max-txn-ops", "2000000"}, "--etcd-max-txn-ops: invalid value '2000000'"),
        Arguments.of(new String[] {"--etcd-request-timeout", "0"}, "--etcd-request-timeout: invalid value '0': must be positive"),
        Arguments.of(new String[] {"--etcd-request-timeout", "-1s"}, "must be positive"),
        Arguments.of(new String[] {"--path-prefix", "a/b"}, "--path-prefix: invalid value 'a/b'"),
        Arguments.of(new String[] {"--path-prefix", "/"}, "--path-prefix: invalid value '/'"),
        Arguments.of(new String[] {"--kube-master-url", "10.96.0.1:443"}, "--kube-master-url: invalid value '10.96.0.1:443'"),
        Arguments.of(new String[] {"--kube-master-url", "http://${UNSET_HOST}:${UNSET_PORT}"},
            "--kube-master-url: invalid value 'http://${UNSET_HOST}:${UNSET_PORT}': 'http://:'"),
        Arguments.of(new String[] {"--kube-master-url", "http:// space"}, "--kube-master-url: invalid value"),
        Arguments.of(new String[] {"--kubecfg-file", "/nonexistent/kubeconfig"},
            "--kubecfg-file: invalid value '/nonexistent/kubeconfig': no readable file there"),
        Arguments.of(new String[] {"--kubecfg-file", "/"}, "--kubecfg-file: invalid value '/'"),
        Arguments.of(new String[] {"--kubecfg-file", "a\0b"}, "not a file path"),
        Arguments.of(new String[] {"--healthz-port", "65536"}, "--healthz-port: invalid value '65536'"),
        Arguments.of(new String[] {"--healthz-port", "-1"}, "--healthz-port: invalid value '-1'"),
        Arguments.of(new String[] {"--healthz-port", "http"}, "--healthz-port: invalid value 'http'"),
        Arguments.of(new String[] {"--healthz-port", "99999999999"}, "--healthz-port: invalid value"),
        Arguments.of(new String[] {"--healthz-bind-address", "localhost"}, "--healthz-bind-address: invalid value 'localhost'"),
        Arguments.of(new String[] {"--resync-period", "5"}, "--resync-period: invalid value '5'"),
        Arguments.of(new String[] {"--resync-period", "0s"}, "--resync-period: invalid value '0s': must be positive"),
        Arguments.of(new String[] {"--resync-period", "1y"}, "--resync-period: invalid value '1y'"),
        Arguments.of(new String[] {"--resync-period", "9999999999h"}, "duration out of range"),
        Arguments.of(new String[] {"--legacy-names=maybe"}, "--legacy-names: invalid value 'maybe'"),
        Arguments.of(new String[] {"--no-such-flag"}, "Unknown option: '--no-such-flag'"),
        Arguments.of(new String[] {"--domain"}, "--domain"),
        Arguments.of(new String[] {"stray"}, "stray"),
        Arguments.of(new String[] {"-domain=cluster.local"}, "-domain=cluster.local"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidValues")
  void invalidFlagsAreRefusedNamingTheFlagAndValue(String[] args, String message) {
    assertThatThrownBy(() -> flags(args))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void invalidEnvironmentValuesNameTheVariable() {
    assertThatThrownBy(() -> load(Map.of("ETCD_MACHINES", "not-a-url")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("ETCD_MACHINES: invalid value 'not-a-url'");
    assertThatThrownBy(() -> load(Map.of("ETCD_CACERT", "/nonexistent/ca")))
        .hasMessageStartingWith("ETCD_CACERT: invalid value '/nonexistent/ca'");
    assertThatThrownBy(() -> load(Map.of("ETCD_USERNAME", "u")))
        .hasMessageStartingWith("ETCD_USERNAME is set but --password (or ETCD_PASSWORD) is not");
  }

  @Test
  void longValuesAreCutInMessages() {
    assertThatThrownBy(() -> flags("--domain", "x".repeat(500)))
        .hasMessageContaining("x".repeat(100) + "...")
        .hasMessageNotContaining("x".repeat(101));
  }

  @Test
  void helpListsEveryFlagWithItsDefaultAndVariable() {
    Kube2SkyConfigLoader.Result result = new Kube2SkyConfigLoader(Map.of()).parse("--help");

    assertThat(result).isInstanceOf(Kube2SkyConfigLoader.ShowHelp.class);
    String help = ((Kube2SkyConfigLoader.ShowHelp) result).text();
    for (Flag flag : Flag.values()) {
      assertThat(help).contains(flag.option());
      if (flag.env() != null) {
        assertThat(help).contains(flag.env());
      }
    }
    assertThat(help).contains("--version", "--help", "Default: cluster.local.", "Default: 5m.",
        "${KUBERNETES_SERVICE_HOST}");
    assertThat(new Kube2SkyConfigLoader(Map.of()).parse("-h")).isEqualTo(result);
  }

  @Test
  void versionIsAsked() {
    Kube2SkyConfigLoader.Result result = new Kube2SkyConfigLoader(Map.of()).parse("--version");

    assertThat(result).isEqualTo(new Kube2SkyConfigLoader.ShowVersion(Kube2SkyConfigLoader.versionLine()));
    assertThat(Kube2SkyConfigLoader.versionLine()).startsWith("kube2sky version: ");
  }

  @Test
  void helpWinsOverInvalidValues() {
    assertThat(new Kube2SkyConfigLoader(Map.of()).parse("--healthz-port=x", "--help"))
        .isInstanceOf(Kube2SkyConfigLoader.ShowHelp.class);
  }
}
