package org.clusterdns.kube2sky.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterdns.kube2sky.testing.MockApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClusterInformersTest {
  private static final long WAIT_SECONDS = 10;
  /** How long to wait for an event that must not come. */
  private static final long QUIET_MILLIS = 1500;

  private final MockApiServer api = MockApiServer.start();
  private final KubernetesClient client = api.client();

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private ClusterInformers informers;

  private record Event(ServiceKey key, long nanos) {}

  @AfterEach
  void closeInformers() {
    if (informers != null) {
      informers.close();
    }
    api.close();
  }

  private ClusterInformers started() throws Exception {
    informers = new ClusterInformers(client, (key, nanos) -> events.add(new Event(key, nanos)));
    informers.start().get(WAIT_SECONDS, TimeUnit.SECONDS);
    return informers;
  }

  private ServiceKey next() throws InterruptedException {
    Event event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(event).as("an event within %d s", WAIT_SECONDS).isNotNull();
    return event.key();
  }

  private void assertQuiet() throws InterruptedException {
    assertThat(events.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)).isNull();
  }

  private static Service service(String namespace, String name, String clusterIp) {
    return new ServiceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withNewSpec().withClusterIP(clusterIp).addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }

  private static EndpointSlice slice(String namespace, String name, String service, String ip) {
    EndpointSliceBuilder builder = new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint().withAddresses(ip).withNewConditions().withReady(true).endConditions().endEndpoint();
    if (service != null) {
      builder.editMetadata().addToLabels(ClusterInformers.SERVICE_NAME_LABEL, service).endMetadata();
    }
    return builder.build();
  }

  private Service createService(Service service) {
    return client.services().inNamespace(service.getMetadata().getNamespace()).resource(service).create();
  }

  private EndpointSlice createSlice(EndpointSlice slice) {
    return client.discovery().v1().endpointSlices().inNamespace(slice.getMetadata().getNamespace()).resource(slice)
        .create();
  }

  @Test
  void objectsThatExistBeforeTheStartArriveAsEventsAndFillTheCaches() throws Exception {
    createService(service("default", "kubernetes", "10.96.0.1"));
    createSlice(slice("default", "kubernetes-abc", "kubernetes", "192.0.2.1"));

    ClusterInformers informers = started();

    assertThat(informers.hasSynced()).isTrue();
    assertThat(List.of(next(), next())).containsOnly(new ServiceKey("default", "kubernetes"));
    assertThat(informers.services()).containsExactly(new ServiceKey("default", "kubernetes"));
    assertThat(informers.service(new ServiceKey("default", "kubernetes")).orElseThrow().getSpec().getClusterIP())
        .isEqualTo("10.96.0.1");
    assertThat(informers.endpointSlices(new ServiceKey("default", "kubernetes")))
        .extracting(slice -> slice.getMetadata().getName())
        .containsExactly("kubernetes-abc");
  }

  @Test
  void hasSyncedIsFalseBeforeTheStart() {
    informers = new ClusterInformers(client, (key, nanos) -> events.add(new Event(key, nanos)));

    assertThat(informers.hasSynced()).isFalse();
  }

  @Test
  void serviceCreateUpdateAndDeleteEachReportTheServiceKey() throws Exception {
    started();
    ServiceKey web = new ServiceKey("shop", "web");

    long before = System.nanoTime();
    Service created = createService(service("shop", "web", "10.96.0.10"));
    Event added = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(added).isNotNull();
    assertThat(added.key()).isEqualTo(web);
    assertThat(added.nanos()).isBetween(before, System.nanoTime());

    created.getSpec().setExternalName("changed.example.com");
    client.services().inNamespace("shop").resource(created).update();
    assertThat(next()).isEqualTo(web);
    assertThat(informers.service(web).orElseThrow().getSpec().getExternalName()).isEqualTo("changed.example.com");

    client.services().inNamespace("shop").withName("web").delete();
    assertThat(next()).isEqualTo(web);
    assertThat(informers.service(web)).isEmpty();
    assertThat(informers.services()).doesNotContain(web);
  }

  @Test
  void sliceEventsReportTheServiceNamedByTheLabel() throws Exception {
    started();
    ServiceKey web = new ServiceKey("shop", "web");

    EndpointSlice created = createSlice(slice("shop", "web-x1", "web", "10.0.0.1"));
    assertThat(next()).isEqualTo(web);

    created.getEndpoints().get(0).getConditions().setReady(false);
    client.discovery().v1().endpointSlices().inNamespace("shop").resource(created).update();
    assertThat(next()).isEqualTo(web);
    assertThat(informers.endpointSlices(web).get(0).getEndpoints().get(0).getConditions().getReady()).isFalse();

    client.discovery().v1().endpointSlices().inNamespace("shop").withName("web-x1").delete();
    assertThat(next()).isEqualTo(web);
    assertThat(informers.endpointSlices(web)).isEmpty();
  }

  @Test
  void aSliceWithoutTheServiceLabelIsIgnored() throws Exception {
    started();

    createSlice(slice("shop", "orphan", null, "10.0.0.9"));

    assertQuiet();
  }

  @Test
  void aSliceMovedToAnotherServiceReportsBothServices() throws Exception {
    started();
    EndpointSlice created = createSlice(slice("shop", "moving", "old", "10.0.0.1"));
    assertThat(next()).isEqualTo(new ServiceKey("shop", "old"));

    created.getMetadata().getLabels().put(ClusterInformers.SERVICE_NAME_LABEL, "new");
    client.discovery().v1().endpointSlices().inNamespace("shop").resource(created).update();

    assertThat(List.of(next(), next())).containsExactlyInAnyOrder(new ServiceKey("shop", "old"), new ServiceKey("shop", "new"));
    assertThat(informers.endpointSlices(new ServiceKey("shop", "old"))).isEmpty();
    assertThat(informers.endpointSlices(new ServiceKey("shop", "new"))).hasSize(1);
  }

  @Test
  void slicesAreFoundByNamespaceAndServiceAndSortedByName() throws Exception {
    createSlice(slice("shop", "web-c", "web", "10.0.0.3"));
    createSlice(slice("shop", "web-a", "web", "10.0.0.1"));
    createSlice(slice("shop", "web-b", "web", "10.0.0.2"));
    createSlice(slice("shop", "web2-a", "web2", "10.0.0.4"));
    createSlice(slice("other", "web-z", "web", "10.0.0.5"));

    started();

    assertThat(informers.endpointSlices(new ServiceKey("shop", "web")))
        .extracting(slice -> slice.getMetadata().getName())
        .containsExactly("web-a", "web-b", "web-c");
    assertThat(informers.endpointSlices(new ServiceKey("other", "web")))
        .extracting(slice -> slice.getMetadata().getName())
        .containsExactly("web-z");
    assertThat(informers.endpointSlices(new ServiceKey("shop", "nothing"))).isEmpty();
  }

  @Test
  void servicesInEveryNamespaceAreSeen() throws Exception {
    createService(service("default", "kubernetes", "10.96.0.1"));
    createService(service("kube-system", "kube-dns", "10.96.0.10"));
    createService(service("shop", "web", "10.96.0.20"));

    started();

    assertThat(informers.services()).containsExactlyInAnyOrder(new ServiceKey("default", "kubernetes"),
        new ServiceKey("kube-system", "kube-dns"), new ServiceKey("shop", "web"));
  }

  @Test
  void resyncsWithAnUnchangedResourceVersionAreIgnored() throws Exception {
    createService(service("shop", "web", "10.96.0.10"));
    createSlice(slice("shop", "web-a", "web", "10.0.0.1"));
    // fabric8 resyncs every 100 ms: each delivers every cached object again as an update with the
    // same resourceVersion, as a re-list after a reconnect does.
    informers = new ClusterInformers(client, (key, nanos) -> events.add(new Event(key, nanos)), 100);
    informers.start().get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(List.of(next(), next())).containsOnly(new ServiceKey("shop", "web"));

    assertQuiet();

    client.services().inNamespace("shop").withName("web")
        .edit(service -> new ServiceBuilder(service).editMetadata().addToLabels("tier", "front").endMetadata().build());
    assertThat(next()).isEqualTo(new ServiceKey("shop", "web"));
    assertQuiet();
  }

  @Test
  void theCachesKeepOnlyWhatTheRecordsRead() throws Exception {
    Service service = service("shop", "web", "10.96.0.10");
    service.getMetadata().setLabels(Map.of("app", "web"));
    service.getMetadata().setAnnotations(Map.of("note", "x".repeat(1000)));
    service.getSpec().setSelector(Map.of("app", "web"));
    createService(service);
    started();
    ServiceKey web = new ServiceKey("shop", "web");
    assertThat(next()).isEqualTo(web);

    Service cached = informers.service(web).orElseThrow();

    assertThat(cached.getSpec().getClusterIP()).isEqualTo("10.96.0.10");
    assertThat(cached.getMetadata().getResourceVersion()).isNotNull();
    assertThat(cached.getMetadata().getLabels()).isEmpty();
    assertThat(cached.getMetadata().getAnnotations()).isEmpty();
    assertThat(cached.getSpec().getSelector()).isEmpty();
  }

  @Test
  void closedInformersReportNothingAndKeepTheirCaches() throws Exception {
    createService(service("shop", "web", "10.96.0.10"));
    started();
    assertThat(next()).isEqualTo(new ServiceKey("shop", "web"));

    informers.close();
    client.services().inNamespace("shop").withName("web").delete();
    createService(service("shop", "api", "10.96.0.11"));

    assertQuiet();
    assertThat(informers.services()).containsExactly(new ServiceKey("shop", "web"));
  }

  @Test
  void losingTheApiServerReportsNoDeletesAndKeepsTheCaches() throws Exception {
    // A server of its own: the extension's server cannot be shut down twice.
    KubernetesMockServer own = crudServer();
    own.init(InetAddress.getLoopbackAddress(), 0);
    try (KubernetesClient ownClient = own.createClient()) {
      ownClient.services().inNamespace("shop").resource(service("shop", "web", "10.96.0.10")).create();
      ownClient.discovery().v1().endpointSlices().inNamespace("shop").resource(slice("shop", "web-a", "web", "10.0.0.1"))
          .create();
      informers = new ClusterInformers(ownClient, (key, nanos) -> events.add(new Event(key, nanos)));
      informers.start().get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(List.of(next(), next())).containsOnly(new ServiceKey("shop", "web"));

      own.destroy();

      assertQuiet();
      assertThat(informers.services()).containsExactly(new ServiceKey("shop", "web"));
      assertThat(informers.endpointSlices(new ServiceKey("shop", "web"))).hasSize(1);
      assertThat(informers.hasSynced()).isTrue();
    }
  }

  @Test
  void theInformersResumeWhenTheApiServerComesBack() throws Exception {
    KubernetesMockServer first = crudServer();
    first.init(InetAddress.getLoopbackAddress(), 0);
    int port = first.getPort();
    try (KubernetesClient ownClient = first.createClient()) {
      ownClient.services().inNamespace("shop").resource(service("shop", "web", "10.96.0.10")).create();
      informers = new ClusterInformers(ownClient, (key, nanos) -> events.add(new Event(key, nanos)));
      informers.start().get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(next()).isEqualTo(new ServiceKey("shop", "web"));
      first.destroy();
      assertQuiet();

      // The same address again, as an API server restarted behind its Service IP.
      KubernetesMockServer second = crudServer();
      second.init(InetAddress.getLoopbackAddress(), port);
      try (KubernetesClient writer = second.createClient()) {
        writer.services().inNamespace("shop").resource(service("shop", "web", "10.96.0.10")).create();
        List<ServiceKey> seen = new ArrayList<>();
        AtomicInteger generation = new AtomicInteger();
        // The informers come back after their reconnect backoff; a change made before their new
        // watch starts is not replayed, so the change is made again until one is seen.
        await("a Service created after the API server came back reaches the queue").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> {
              Service api = service("shop", "api", "10.96.0.11");
              api.getMetadata().setLabels(Map.of("generation", String.valueOf(generation.incrementAndGet())));
              writer.services().inNamespace("shop").resource(api).createOr(existing -> existing.update());
              List<Event> arrived = new ArrayList<>();
              events.drainTo(arrived);
              arrived.forEach(event -> seen.add(event.key()));
              return seen.contains(new ServiceKey("shop", "api"));
            });
      } finally {
        second.destroy();
      }
    }
  }

  private static KubernetesMockServer crudServer() {
    return new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
  }
}
