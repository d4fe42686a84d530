package org.clusterdns.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.clusterdns.kube2sky.config.Kube2SkyConfig;
import org.clusterdns.kube2sky.config.Kube2SkyConfigLoader;
import org.clusterdns.process.flags.ConfigException;
import org.clusterdns.skydns.config.ServerConfig;
import org.clusterdns.skydns.config.ServerConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The containers' flags read by the processes' own configuration loaders, with the containers'
 * environment: a misspelt flag or an invalid value fails here as it would fail the pod, and the
 * settings the pod depends on (the domain, the etcd both sides use, the ports the probes and the
 * Service reach) are checked where the processes read them.
 */
class ContainerArgsTest {
  private static final URI ETCD = URI.create("http://127.0.0.1:2379");

  // Rendered once: the tests only read it.
  private static final Addon ADDON = DeployScript.dryRun(Map.of(), "--dns-domain", "k8s.example.org");

  @Test
  void kube2skyPublishesTheDomainIntoThePodsEtcdAndServesHealthToTheKubelet() {
    Kube2SkyConfig config = kube2sky(ADDON.container("kube2sky"));

    assertThat(config.domain()).isEqualTo("k8s.example.org.");
    assertThat(config.etcd().endpoints()).containsExactly(ETCD);
    assertThat(config.kubeMasterUrl()).as("in-cluster service account").isEmpty();
    assertThat(config.kubecfgFile()).as("in-cluster service account").isEmpty();
    assertThat(config.healthzAddress().getAddress().isAnyLocalAddress()).as("the kubelet probes the pod IP").isTrue();
    assertThat(config.healthzAddress().getPort())
        .isEqualTo(ADDON.container("kube2sky").getReadinessProbe().getHttpGet().getPort().getIntVal())
        .isEqualTo(ADDON.container("kube2sky").getLivenessProbe().getHttpGet().getPort().getIntVal());
  }

  @Test
  void skydnsServesTheDomainOnPort53FromThePodsEtcd(@TempDir Path scratch) throws IOException {
    ServerConfig config = skydns(ADDON.container("skydns"), scratch);

    assertThat(config.answer().domain()).isEqualTo("k8s.example.org.");
    assertThat(config.listen().address()).isEqualTo(new InetSocketAddress("0.0.0.0", 53));
    assertThat(config.etcd().endpoints()).containsExactly(ETCD);
    InetSocketAddress health = config.metrics().healthAddress().orElseThrow();
    assertThat(health.getAddress().isAnyLocalAddress()).as("the kubelet probes the pod IP").isTrue();
    assertThat(health.getPort())
        .isEqualTo(ADDON.container("skydns").getReadinessProbe().getHttpGet().getPort().getIntVal())
        .isEqualTo(ADDON.container("skydns").getLivenessProbe().getHttpGet().getPort().getIntVal());
  }

  @Test
  void bothSidesAgreeOnDomainAndEtcdPrefix(@TempDir Path scratch) throws IOException {
    Kube2SkyConfig writer = kube2sky(ADDON.container("kube2sky"));
    ServerConfig reader = skydns(ADDON.container("skydns"), scratch);

    assertThat(reader.answer().domain()).isEqualTo(writer.domain());
    assertThat(reader.etcd().pathPrefix()).isEqualTo(writer.etcd().pathPrefix());
    assertThat(reader.etcd().endpoints()).isEqualTo(writer.etcd().endpoints());
  }

  @Test
  void kube2skyPacksTransactionsAsLargeAsThePodsEtcdTakes() {
    String etcdLimit = ADDON.container("etcd").getArgs().stream()
        .filter(arg -> arg.startsWith("--max-txn-ops=")).map(arg -> arg.substring("--max-txn-ops=".length()))
        .findFirst().orElse("128");

    assertThat(kube2sky(ADDON.container("kube2sky")).etcdMaxTxnOps())
        .as("more would be refused by etcd, fewer splits changes that could be one transaction")
        .isEqualTo(Integer.parseInt(etcdLimit))
        .isGreaterThan(128);
  }

  @Test
  void theHealthPortsInOnePodDiffer(@TempDir Path scratch) throws IOException {
    assertThat(kube2sky(ADDON.container("kube2sky")).healthzAddress().getPort())
        .isNotEqualTo(skydns(ADDON.container("skydns"), scratch).metrics().healthAddress().orElseThrow().getPort());
  }

  @Test
  void etcdListensOnLoopbackOnlyWhereTheOthersLook() {
    Map<String, String> flags = ADDON.container("etcd").getArgs().stream()
        .collect(Collectors.toMap(arg -> arg.substring(0, arg.indexOf('=')), arg -> arg.substring(arg.indexOf('=') + 1)));

    assertThat(flags.get("--listen-client-urls")).isEqualTo(ETCD.toString());
    assertThat(flags.get("--advertise-client-urls")).isEqualTo(ETCD.toString());
    assertThat(URI.create(flags.get("--listen-peer-urls")).getHost()).isEqualTo("127.0.0.1");
    assertThat(flags.get("--initial-cluster")).isEqualTo(flags.get("--name") + "=" + flags.get("--listen-peer-urls"));
    assertThat(flags).doesNotContainKey("--listen-metrics-urls");
    assertThat(ADDON.container("etcd").getCommand()).containsExactly("/usr/local/bin/etcd");
  }

  @Test
  void aMisspeltFlagWouldFail() {
    List<String> args = ADDON.container("kube2sky").getArgs().stream()
        .map(arg -> arg.replace("--etcd-server=", "--etcd-servers="))
        .toList();

    assertThatThrownBy(() -> new Kube2SkyConfigLoader(Map.of()).parse(args.toArray(String[]::new)))
        .isInstanceOf(ConfigException.class);
  }

  private static Kube2SkyConfig kube2sky(Container container) {
    Kube2SkyConfigLoader.Result result = new Kube2SkyConfigLoader(env(container)).parse(args(container));
    assertThat(result).isInstanceOf(Kube2SkyConfigLoader.Start.class);
    return ((Kube2SkyConfigLoader.Start) result).config();
  }

  private static ServerConfig skydns(Container container, Path scratch) throws IOException {
    // In the pod, dnsPolicy Default gives skydns-server the node's resolv.conf.
    Path resolvConf = Files.writeString(scratch.resolve("resolv.conf"), "nameserver 192.0.2.53\n");
    ServerConfigLoader loader = new ServerConfigLoader(env(container), resolvConf);
    ServerConfigLoader.Result result = loader.parse(args(container));
    assertThat(result).isInstanceOf(ServerConfigLoader.Start.class);
    return loader.complete(((ServerConfigLoader.Start) result).bootstrap(), Optional.empty());
  }

  private static String[] args(Container container) {
    assertThat(container.getCommand()).as("the image's entrypoint runs the process").isEmpty();
    return container.getArgs().toArray(String[]::new);
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
