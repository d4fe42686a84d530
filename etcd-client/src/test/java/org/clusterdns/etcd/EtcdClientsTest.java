package org.clusterdns.etcd;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.clusterdns.etcd.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings {@link EtcdClients#create} refuses, each with a message naming the setting. */
class EtcdClientsTest {
  private static final URI HTTPS = URI.create("https://127.0.0.1:2379");

  @TempDir
  static Path directory;
  private static TestCertificates tls;

  @BeforeAll
  static void makeCertificates() throws IOException {
    tls = TestCertificates.create(directory.resolve("tls"));
  }

  @Test
  void buildsATlsClientFromValidFiles() {
    assertThatNoException().isThrownBy(() -> EtcdClients.create(
        tlsConfig(Optional.of(tls.caCert()), Optional.of(tls.clientCert()), Optional.of(tls.clientKey()))).close());
  }

  @Test
  void namesAnUnreadableKeyFile() {
    Path missing = directory.resolve("no-such.key");
    assertThatThrownBy(() -> EtcdClients.create(
        tlsConfig(Optional.of(tls.caCert()), Optional.of(tls.clientCert()), Optional.of(missing))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ETCD_TLSKEY")
        .hasMessageContaining(missing.toString());
  }

  @Test
  void namesAKeyFileThatHoldsNoKey() throws IOException {
    Path garbage = Files.writeString(directory.resolve("garbage.key"), "not a key", StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> EtcdClients.create(
        tlsConfig(Optional.of(tls.caCert()), Optional.of(tls.clientCert()), Optional.of(garbage))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ETCD_TLSKEY");
  }

  @Test
  void namesACaFileThatHoldsNoCertificate() throws IOException {
    Path garbage = Files.writeString(directory.resolve("garbage.pem"), "not a certificate", StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> EtcdClients.create(tlsConfig(Optional.of(garbage), Optional.empty(), Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ETCD_CACERT");
  }

  @Test
  void refusesACertificateWithoutItsKey() {
    assertThatThrownBy(() -> EtcdClients.create(
        tlsConfig(Optional.of(tls.caCert()), Optional.of(tls.clientCert()), Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ETCD_TLSPEM")
        .hasMessageContaining("ETCD_TLSKEY");
  }

  @Test
  void refusesTlsFilesForPlainEndpoints() {
    EtcdConfig config = new EtcdConfig(List.of(URI.create("http://127.0.0.1:2379")), "skydns",
        Optional.of(tls.caCert()), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(1));
    assertThatThrownBy(() -> EtcdClients.create(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ETCD_MACHINES");
  }

  @Test
  void refusesAnEndpointWithAnotherScheme() {
    EtcdConfig config = EtcdConfig.plain(List.of(URI.create("unix:///run/etcd.sock")), "skydns");
    assertThatThrownBy(() -> EtcdClients.create(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ETCD_MACHINES")
        .hasMessageContaining("unix:///run/etcd.sock");
  }

  @Test
  void refusesAnEndpointWithoutAPort() {
    EtcdConfig config = EtcdConfig.plain(List.of(URI.create("http://127.0.0.1")), "skydns");
    assertThatThrownBy(() -> EtcdClients.create(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
  }

  @Test
  void refusesAUserWithoutAPasswordAndTheReverse() {
    assertThatThrownBy(() -> EtcdClients.create(authConfig(Optional.of("root"), Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ETCD_PASSWORD");
    assertThatThrownBy(() -> EtcdClients.create(authConfig(Optional.empty(), Optional.of("secret"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ETCD_USERNAME");
  }

  private static EtcdConfig tlsConfig(Optional<Path> ca, Optional<Path> cert, Optional<Path> key) {
    return new EtcdConfig(List.of(HTTPS), "skydns", ca, cert, key, Optional.empty(), Optional.empty(),
        Duration.ofSeconds(1));
  }

  private static EtcdConfig authConfig(Optional<String> user, Optional<String> password) {
    return new EtcdConfig(List.of(URI.create("http://127.0.0.1:2379")), "skydns", Optional.empty(),
        Optional.empty(), Optional.empty(), user, password, Duration.ofSeconds(1));
  }
}
