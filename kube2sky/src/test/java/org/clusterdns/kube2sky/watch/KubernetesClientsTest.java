package org.clusterdns.kube2sky.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesClientsTest {
  private static final String KUBECONFIG = """
      apiVersion: v1
      kind: Config
      clusters:
      - name: test
        cluster:
          server: https://192.0.2.10:6443
      users:
      - name: robot
        user:
          token: secret-token
      contexts:
      - name: test
        context:
          cluster: test
          user: robot
      current-context: test
      """;

  @TempDir
  Path dir;

  @Test
  void aKubeconfigFileGivesItsServerAndCredentials() throws Exception {
    Path file = Files.writeString(dir.resolve("kubeconfig"), KUBECONFIG);

    Config config = KubernetesClients.clientConfig(Optional.empty(), Optional.of(file));

    assertThat(config.getMasterUrl()).startsWith("https://192.0.2.10:6443");
    assertThat(config.getAutoOAuthToken()).isEqualTo("secret-token");
  }

  @Test
  void theMasterUrlOverridesTheKubeconfigServerAndKeepsItsCredentials() throws Exception {
    Path file = Files.writeString(dir.resolve("kubeconfig"), KUBECONFIG);

    Config config = KubernetesClients.clientConfig(Optional.of(URI.create("http://127.0.0.1:8080")), Optional.of(file));

    assertThat(config.getMasterUrl()).startsWith("http://127.0.0.1:8080");
    assertThat(config.getAutoOAuthToken()).isEqualTo("secret-token");
  }

  @Test
  void theMasterUrlAloneIsUsedWithoutCredentials() {
    Config config = KubernetesClients.clientConfig(Optional.of(URI.create("http://127.0.0.1:8080")), Optional.empty());

    assertThat(config.getMasterUrl()).startsWith("http://127.0.0.1:8080");
    assertThat(config.getOauthToken()).isNull();
    assertThat(config.getAutoOAuthToken()).isNull();
    assertThat(config.getUsername()).isNull();
  }

  @Test
  void anUnusableKubeconfigIsReportedWithTheFlag() throws Exception {
    Path file = Files.writeString(dir.resolve("kubeconfig"), "clusters: [ {{{ not yaml");

    assertThatThrownBy(() -> KubernetesClients.clientConfig(Optional.empty(), Optional.of(file)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--kubecfg-file")
        .hasMessageContaining(file.toString());
  }
}
