package org.clusterdns.kube2sky.bench;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clusterdns.kube2sky.watch.ClusterInformers;

/**
 * A fabric8 mock API server in CRUD mode on 127.0.0.1 holding the benchmark's Services, and the
 * client that fills and changes it.
 *
 * <p>Service {@code i} is {@code svc-<i>} in namespace {@code ns-<i % 50>} with one named port
 * ({@code http}, 80/TCP). Every tenth ({@code i % 10 == 9}) is headless, with an EndpointSlice of
 * three ready endpoints without hostnames; the others have the cluster IP {@link #clusterIp(int)}.
 * In etcd a ClusterIP Service takes 3 keys (A, SRV, PTR) and a headless one 6 (3 A, 3 SRV).
 */
final class MockCluster implements AutoCloseable {
  static final int NAMESPACES = 50;
  static final int ENDPOINTS_PER_HEADLESS = 3;
  static final int KEYS_PER_CLUSTER_IP = 3;
  static final int KEYS_PER_HEADLESS = 2 * ENDPOINTS_PER_HEADLESS;
  private static final int CREATE_THREADS = 4;
  /**
   * The mock web server logs every request at INFO through java.util.logging; held here because
   * java.util.logging keeps only weak references to loggers, which would lose the level.
   */
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private MockCluster(KubernetesMockServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
  }

  /** Starts an empty mock API server on a free loopback port. */
  static MockCluster start() {
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new NameIndexedCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    return new MockCluster(server, server.createClient());
  }

  /** Returns the URL kube2sky's {@code --kube-master-url} takes. */
  String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  static boolean isHeadless(int i) {
    return i % 10 == 9;
  }

  static String namespace(int i) {
    return "ns-" + i % NAMESPACES;
  }

  static String name(int i) {
    return "svc-" + i;
  }

  /** Returns the DNS name of Service {@code i}, absolute. */
  static String dnsName(int i) {
    return name(i) + "." + namespace(i) + ".svc.cluster.local.";
  }

  /** Returns the etcd keys kube2sky should write for {@code services} Services, the dns-version leaf included. */
  static long expectedKeys(int services) {
    long headless = services / 10;
    return KEYS_PER_CLUSTER_IP * (services - headless) + KEYS_PER_HEADLESS * headless + 1;
  }

  /** Returns the cluster IP of ClusterIP Service {@code i}: distinct for every i below 2^20, in 10.96.0.0/12. */
  static String clusterIp(int i) {
    return address(96, i + 1);
  }

  /** Returns the {@code k}-th address the updates move Services to, in 10.112.0.0/12, apart from every initial one. */
  static String updatedIp(int k) {
    return address(112, k + 1);
  }

  private static String address(int second, int n) {
    return "10." + (second + (n >> 16)) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
  }

  /**
   * Creates Services {@code 0 .. count-1} (and the headless ones' EndpointSlices), on a few threads
   * since the mock answers each request separately.
   */
  void createServices(int count) throws InterruptedException, ExecutionException {
    ExecutorService pool = Executors.newFixedThreadPool(CREATE_THREADS);
    long start = System.nanoTime();
    try {
      List<Future<?>> created = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int index = i;
        created.add(pool.submit(() -> create(index)));
      }
      for (int i = 0; i < count; i++) {
        created.get(i).get();
        if ((i + 1) % Math.max(1, count / 10) == 0) {
          Kube2SkyBench.log(String.format(Locale.ROOT, "created %d of %d Services (%.0f s)", i + 1, count,
              (System.nanoTime() - start) / 1e9));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void create(int i) {
    boolean headless = isHeadless(i);
    String ip = headless ? "None" : clusterIp(i);
    Service service = new ServiceBuilder()
        .withNewMetadata().withNamespace(namespace(i)).withName(name(i)).endMetadata()
        .withNewSpec().withType("ClusterIP").withClusterIP(ip).withClusterIPs(ip)
        .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
        .endSpec()
        .build();
    client.services().inNamespace(namespace(i)).resource(service).create();
    if (headless) {
      EndpointSliceBuilder slice = new EndpointSliceBuilder()
          .withNewMetadata().withNamespace(namespace(i)).withName(name(i) + "-abcde")
          .addToLabels(ClusterInformers.SERVICE_NAME_LABEL, name(i)).endMetadata()
          .withAddressType("IPv4")
          .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort();
      for (int e = 0; e < ENDPOINTS_PER_HEADLESS; e++) {
        slice.addNewEndpoint().withAddresses(address(128, ENDPOINTS_PER_HEADLESS * i + e + 1))
            .withNewConditions().withReady(true).endConditions().endEndpoint();
      }
      EndpointSlice built = slice.build();
      client.discovery().v1().endpointSlices().inNamespace(namespace(i)).resource(built).create();
    }
  }

  /** Moves ClusterIP Service {@code i} to {@code ip}; returns when the API server has accepted the change. */
  void changeClusterIp(int i, String ip) {
    client.services().inNamespace(namespace(i)).withName(name(i))
        .edit(service -> new ServiceBuilder(service).editSpec().withClusterIP(ip).withClusterIPs(ip).endSpec().build());
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
