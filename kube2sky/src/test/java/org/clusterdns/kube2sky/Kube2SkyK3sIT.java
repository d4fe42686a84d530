package org.clusterdns.kube2sky;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.clusterdns.kube2sky.TestServices.apply;
import static org.clusterdns.kube2sky.TestServices.clusterIp;
import static org.clusterdns.kube2sky.TestServices.deleteService;
import static org.clusterdns.kube2sky.TestServices.endpoint;
import static org.clusterdns.kube2sky.TestServices.externalName;
import static org.clusterdns.kube2sky.TestServices.headless;
import static org.clusterdns.kube2sky.TestServices.slice;

import io.etcd.jetcd.Client;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.clusterdns.etcd.testing.EtcdProcess;
import org.clusterdns.etcd.testing.EtcdProcess.Mode;
import org.clusterdns.kube2sky.config.Kube2SkyConfig;
import org.clusterdns.kube2sky.sync.EtcdRecordStore;
import org.clusterdns.skydns.testing.DnsCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.xbill.DNS.Type;

/**
 * kube2sky against a real API server (k3s in a container), running in the test JVM with a real
 * etcd and skydns-server: each kind of Service created, changed and deleted through the API, and
 * the answers checked over DNS. A real API server allocates the cluster IP and refuses to change
 * it, so the ClusterIP change here is a new named port. Skipped where Docker is absent.
 */
@Testcontainers(disabledWithoutDocker = true)
class Kube2SkyK3sIT {
  private static final String NAMESPACE = "shop";
  private static final String WEB = "web.shop.svc.cluster.local.";

  private static final DockerImageName K3S_IMAGE = DockerImageName.parse("rancher/k3s:v1.31.4-k3s1");

  // The container is made in the test, not in a static @Container field: K3sContainer's constructor
  // already asks Docker for its host, which would fail the class where Docker is absent instead of
  // letting disabledWithoutDocker skip it.
  @Test
  void publishesChangesAndRemovesEachKindOfService(@TempDir Path scratch) throws Exception {
    try (K3sContainer k3s = new K3sContainer(K3S_IMAGE);
        EtcdProcess etcdProcess = EtcdProcess.start(Mode.PLAIN)) {
      k3s.start();
      run(Config.fromKubeconfig(k3s.getKubeConfigYaml()), etcdProcess, scratch);
    }
  }

  private static void run(Config config, EtcdProcess etcdProcess, Path scratch) throws Exception {
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
            .withHttpClientFactory(new JdkHttpClientFactory()).build();
        Client etcd = etcdProcess.newClient();
        DnsUnderTest dns = DnsUnderTest.start(etcdProcess.endpoint(), scratch);
        Kube2Sky kube2sky = Kube2Sky.start(new Kube2SkyConfig(DnsUnderTest.DOMAIN, etcdProcess.config("skydns"),
            Optional.empty(), Optional.empty(), new InetSocketAddress("127.0.0.1", 0), Duration.ofMinutes(5),
            false, EtcdRecordStore.DEFAULT_MAX_TXN_OPS), client, etcd)) {
      await("kube2sky ready").atMost(Duration.ofSeconds(30)).until(kube2sky::isReady);
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
          .build()).create();

      // The API server's own Service is published from the first list on.
      String kubernetes = client.services().inNamespace("default").withName("kubernetes").get()
          .getSpec().getClusterIP();
      dns.awaitAnswer(DnsCase.of("A of the API server's Service", "kubernetes.default.svc.cluster.local.", Type.A)
          .answer("kubernetes.default.svc.cluster.local. 30 IN A " + kubernetes));

      // ClusterIP: the API server allocates the address.
      Service web = apply(client, clusterIp(NAMESPACE, "web", 80));
      String ip = web.getSpec().getClusterIP();
      dns.awaitAnswer(DnsCase.of("A of web", WEB, Type.A).answer(WEB + " 30 IN A " + ip));
      dns.awaitPtr(ip, WEB);
      web.getSpec().getPorts().add(new ServicePortBuilder().withName("https").withProtocol("TCP").withPort(443)
          .build());
      client.services().inNamespace(NAMESPACE).resource(web).update();
      String https = "_https._tcp." + WEB;
      dns.awaitAnswer(DnsCase.of("SRV of the added port", https, Type.SRV)
          .answer(https + " 30 IN SRV 10 100 443 " + WEB)
          .additional(WEB + " 30 IN A " + ip));

      // Headless, with EndpointSlices of its own (it has no selector).
      String db = "db.shop.svc.cluster.local.";
      apply(client, headless(NAMESPACE, "db"));
      apply(client, slice(NAMESPACE, "db-a", "db", List.of(
          endpoint("10.42.9.1", true, "pet-0"), endpoint("10.42.9.2", false, null))));
      dns.awaitAnswer(DnsCase.of("A of db", db, Type.A).answer(db + " 30 IN A 10.42.9.1"));
      dns.awaitAnswer(DnsCase.of("A of pet-0", "pet-0." + db, Type.A)
          .answer("pet-0." + db + " 30 IN A 10.42.9.1"));
      apply(client, slice(NAMESPACE, "db-a", "db", List.of(endpoint("10.42.9.1", false, "pet-0"))));
      dns.awaitNxdomain(db, Type.A);

      // ExternalName.
      String ext = "ext.shop.svc.cluster.local.";
      apply(client, externalName(NAMESPACE, "ext", "www.example.com"));
      dns.awaitAnswer(DnsCase.of("CNAME of ext", ext, Type.CNAME).answer(ext + " 30 IN CNAME www.example.com."));
      apply(client, externalName(NAMESPACE, "ext", "web.shop.svc.cluster.local"));
      dns.awaitAnswer(DnsCase.of("A of ext, now pointing at web", ext, Type.A)
          .answer(ext + " 30 IN CNAME " + WEB, WEB + " 30 IN A " + ip));

      deleteService(client, NAMESPACE, "web");
      deleteService(client, NAMESPACE, "db");
      deleteService(client, NAMESPACE, "ext");
      dns.awaitNxdomain(WEB, Type.A);
      dns.awaitNxdomain(https, Type.SRV);
      dns.awaitNoPtr(ip);
      dns.awaitNxdomain(db, Type.A);
      dns.awaitNxdomain(ext, Type.CNAME);
      assertThat(kube2sky.isReady()).isTrue();
    }
  }
}
