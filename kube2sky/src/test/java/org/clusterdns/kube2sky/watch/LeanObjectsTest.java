package org.clusterdns.kube2sky.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.clusterdns.kube2sky.records.RecordsConfig;
import org.clusterdns.kube2sky.records.ServiceRecords;
import org.clusterdns.kube2sky.watch.LeanObjects.LeanService;
import org.clusterdns.kube2sky.watch.LeanObjects.LeanSlice;
import org.clusterdns.records.EtcdPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LeanObjectsTest {
  private static final ServiceRecords RECORDS = new ServiceRecords(RecordsConfig.defaults());
  private static final ServiceRecords LEGACY =
      new ServiceRecords(new RecordsConfig("cluster.local", new EtcdPath("skydns"), 30, true));

  /** Returns what the cache answers for {@code service}; null (a bad case) stays null. */
  private static Service lean(Service service) {
    return service == null ? null : LeanService.of(service).toService();
  }

  private static List<EndpointSlice> lean(List<EndpointSlice> slices) {
    return slices == null ? null
        : slices.stream().map(slice -> slice == null ? null : LeanSlice.of(slice).toEndpointSlice()).toList();
  }

  /** A Service as a real API server sends it, with much that kube2sky never reads. */
  private static Service fullService() {
    return new ServiceBuilder()
        .withNewMetadata().withNamespace("shop").withName("web").withResourceVersion("4711").withUid("0-1-2")
        .withCreationTimestamp("2024-01-01T00:00:00Z").addToLabels("app", "web")
        .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{\"a\":1}")
        .addToManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Apply").build())
        .addToFinalizers("service.kubernetes.io/load-balancer-cleanup").endMetadata()
        .withNewSpec().withType("LoadBalancer").withClusterIP("10.0.0.7").withClusterIPs("10.0.0.7", "fd00::7")
        .withIpFamilies("IPv4", "IPv6").withIpFamilyPolicy("PreferDualStack").addToSelector("app", "web")
        .withSessionAffinity("None").withExternalTrafficPolicy("Cluster").withPublishNotReadyAddresses(false)
        .addNewPort().withName("http").withProtocol("TCP").withPort(80).withTargetPort(new IntOrString(8080))
        .withNodePort(30080).withAppProtocol("http").endPort()
        .endSpec()
        .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("192.0.2.1").endIngress().endLoadBalancer()
        .endStatus()
        .build();
  }

  @Test
  void aServiceKeepsWhatItsRecordsAndTheHandlersReadAndNothingElse() {
    Service lean = lean(fullService());

    assertThat(lean.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(lean.getMetadata().getName()).isEqualTo("web");
    assertThat(lean.getMetadata().getResourceVersion()).isEqualTo("4711");
    assertThat(lean.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(lean.getSpec().getClusterIP()).isEqualTo("10.0.0.7");
    assertThat(lean.getSpec().getClusterIPs()).containsExactly("10.0.0.7", "fd00::7");
    assertThat(lean.getSpec().getPublishNotReadyAddresses()).isFalse();
    ServicePort port = new ServicePort();
    port.setName("http");
    port.setProtocol("TCP");
    port.setPort(80);
    port.setAdditionalProperties(Map.of());
    assertThat(lean.getSpec().getPorts()).containsExactly(port);

    assertThat(lean.getMetadata().getUid()).isNull();
    assertThat(lean.getMetadata().getCreationTimestamp()).isNull();
    assertThat(lean.getMetadata().getLabels()).isEmpty();
    assertThat(lean.getMetadata().getAnnotations()).isEmpty();
    assertThat(lean.getMetadata().getManagedFields()).isEmpty();
    assertThat(lean.getMetadata().getFinalizers()).isEmpty();
    assertThat(lean.getSpec().getSelector()).isEmpty();
    assertThat(lean.getSpec().getIpFamilies()).isEmpty();
    assertThat(lean.getSpec().getIpFamilyPolicy()).isNull();
    assertThat(lean.getSpec().getSessionAffinity()).isNull();
    assertThat(lean.getStatus()).isNull();
  }

  @Test
  void anEndpointSliceKeepsItsServiceLabelAddressesHostnamesReadinessAndPorts() {
    EndpointSlice full = new EndpointSliceBuilder()
        .withNewMetadata().withNamespace("shop").withName("db-x1").withResourceVersion("12")
        .addToLabels(ClusterInformers.SERVICE_NAME_LABEL, "db").addToLabels("endpointslice.kubernetes.io/managed-by", "x")
        .withUid("9").endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint().withAddresses("10.1.0.5").withHostname("db-0").withNodeName("node-a").withZone("z1")
        .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
        .withNewTargetRef().withKind("Pod").withName("db-0").endTargetRef().endEndpoint()
        .addNewEndpoint().withAddresses("10.1.0.6").withNewConditions().withReady(false).endConditions().endEndpoint()
        .addNewPort().withName("sql").withProtocol("TCP").withPort(5432).withAppProtocol("postgres").endPort()
        .build();

    EndpointSlice lean = LeanSlice.of(full).toEndpointSlice();

    assertThat(lean.getMetadata().getLabels()).containsExactlyEntriesOf(Map.of(ClusterInformers.SERVICE_NAME_LABEL, "db"));
    assertThat(lean.getMetadata().getName()).isEqualTo("db-x1");
    assertThat(lean.getMetadata().getResourceVersion()).isEqualTo("12");
    assertThat(lean.getMetadata().getUid()).isNull();
    assertThat(lean.getAddressType()).isEqualTo("IPv4");
    Endpoint first = lean.getEndpoints().get(0);
    assertThat(first.getAddresses()).containsExactly("10.1.0.5");
    assertThat(first.getHostname()).isEqualTo("db-0");
    assertThat(first.getConditions().getReady()).isTrue();
    assertThat(first.getConditions().getServing()).isNull();
    assertThat(first.getNodeName()).isNull();
    assertThat(first.getZone()).isNull();
    assertThat(first.getTargetRef()).isNull();
    assertThat(lean.getEndpoints().get(1).getConditions().getReady()).isFalse();
    assertThat(lean.getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getName()).isEqualTo("sql");
      assertThat(port.getPort()).isEqualTo(5432);
      assertThat(port.getAppProtocol()).isNull();
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.clusterdns.kube2sky.records.ServiceRecordsTest#everyInput")
  void theRecordsOfLeanCopiesEqualThoseOfTheOriginals(String name, Service service, List<EndpointSlice> slices) {
    assertThat(RECORDS.forService(lean(service), lean(slices))).isEqualTo(RECORDS.forService(service, slices));
    assertThat(LEGACY.forService(lean(service), lean(slices))).isEqualTo(LEGACY.forService(service, slices));
  }

  @Test
  void theRecordsOfAFullServiceEqualThoseOfItsLeanCopy() {
    assertThat(RECORDS.forService(lean(fullService()), List.of())).isEqualTo(RECORDS.forService(fullService(), List.of()));
  }

  @Test
  void absentFieldsStayAbsentAndNullElementsStay() {
    Service bare = new ServiceBuilder().withNewMetadata().withNamespace("a").withName("b").endMetadata().build();
    assertThat(lean(bare).getSpec()).isNull();

    Service service = new ServiceBuilder().withNewMetadata().withNamespace("a").withName("b").endMetadata()
        .withNewSpec().withClusterIP("10.0.0.1").endSpec().build();
    service.getSpec().setClusterIPs(null);
    service.getSpec().setPorts(Arrays.asList(null, new ServicePort()));
    Service lean = lean(service);
    assertThat(lean.getSpec().getClusterIPs()).isNull();
    assertThat(lean.getSpec().getClusterIP()).isEqualTo("10.0.0.1");
    assertThat(lean.getSpec().getPorts()).hasSize(2).first().isNull();

    EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata().withName("s").endMetadata()
        .addNewEndpoint().withAddresses("10.1.0.1").endEndpoint()
        .addNewEndpoint().withAddresses("10.1.0.2").withNewConditions().endConditions().endEndpoint().build();
    EndpointSlice leanSlice = LeanSlice.of(slice).toEndpointSlice();
    assertThat(leanSlice.getMetadata().getLabels()).isEmpty();
    assertThat(leanSlice.getEndpoints().get(0).getConditions()).isNull();
    assertThat(leanSlice.getEndpoints().get(1).getConditions()).isNotNull();
    assertThat(leanSlice.getEndpoints().get(1).getConditions().getReady()).isNull();
  }

  @Test
  void servicesShareTheirNamespaceTypeAndPortStrings() {
    LeanService first = LeanService.of(fullService());
    LeanService second = LeanService.of(fullService());

    assertThat(first.namespace()).isSameAs(second.namespace());
    assertThat(first.type()).isSameAs(second.type());
    assertThat(first.ports().get(0).protocol()).isSameAs(second.ports().get(0).protocol());
    assertThat(first.clusterIP()).isSameAs(first.clusterIPs().get(0));
  }

  @Test
  void theStoreKeepsLeanRecordsAndAnswersWithRebuiltObjects() {
    LeanItemStore<Service, LeanService> store = new LeanItemStore<>(LeanService::of, LeanService::toService);
    Service full = fullService();
    String key = store.getKey(full);

    assertThat(key).isEqualTo("shop/web");
    assertThat(store.put(key, full)).isNull();
    assertThat(store.get(key)).isEqualTo(lean(full));
    assertThat(store.leanValues()).containsExactly(LeanService.of(full));

    Service changed = fullService();
    changed.getMetadata().setResourceVersion("4712");
    assertThat(store.put(key, changed).getMetadata().getResourceVersion()).isEqualTo("4711");
    assertThat(store.keySet()).containsExactly(key);
    assertThat(store.values()).containsExactly(lean(changed));
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.remove(key).getMetadata().getResourceVersion()).isEqualTo("4712");
    assertThat(store.get(key)).isNull();
    assertThat(store.size()).isZero();
  }
}
