package org.clusterdns.kube2sky;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.clusterdns.kube2sky.DnsUnderTest.PROPAGATION;
import static org.clusterdns.kube2sky.TestServices.apply;
import static org.clusterdns.kube2sky.TestServices.clusterIp;
import static org.clusterdns.kube2sky.TestServices.deleteService;
import static org.clusterdns.kube2sky.TestServices.endpoint;
import static org.clusterdns.kube2sky.TestServices.externalName;
import static org.clusterdns.kube2sky.TestServices.headless;
import static org.clusterdns.kube2sky.TestServices.slice;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.clusterdns.etcd.EtcdClients;
import org.clusterdns.etcd.EtcdConfig;
import org.clusterdns.etcd.testing.EtcdExtension;
import org.clusterdns.etcd.testing.EtcdProcess;
import org.clusterdns.etcd.testing.EtcdProcess.Mode;
import org.clusterdns.kube2sky.config.Kube2SkyConfig;
import org.clusterdns.kube2sky.sync.EtcdRecordStore;
import org.clusterdns.skydns.testing.DnsCase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * kube2sky end to end: Services created, changed and deleted through the fabric8 mock API server
 * (CRUD mode), kube2sky writing to a real etcd, and skydns-server answering from it, checked with
 * dnsjava and dig over UDP and TCP. The etcd and the DNS server are shared by the class; each test
 * has its own API server and kube2sky, whose first full reconcile clears what earlier tests left.
 */
@EnableKubernetesMockClient(crud = true)
class Kube2SkyEndToEndIT {
  private static final String WEB = "web.shop.svc.cluster.local.";
  private static final String WEB_SRV = "_http._tcp.web.shop.svc.cluster.local.";
  private static final String WEB_KEY = "/skydns/local/cluster/svc/shop/web";
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);
  /** The bound: every record back within 5 s of etcd restarting empty. */
  private static final Duration RESTORE_BOUND = Duration.ofSeconds(5);

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension(Mode.PLAIN);

  @TempDir
  static Path scratch;

  private static DnsUnderTest dns;
  private static Client kube2skyEtcd;

  KubernetesClient client;

  private final List<Kube2Sky> started = new ArrayList<>();

  @BeforeAll
  static void startDns() throws Exception {
    dns = DnsUnderTest.start(ETCD.etcd().endpoint(), scratch);
    kube2skyEtcd = ETCD.etcd().newClient();
  }

  @AfterAll
  static void stopDns() throws IOException {
    if (kube2skyEtcd != null) {
      kube2skyEtcd.close();
    }
    if (dns != null) {
      dns.assertNoClusterNameForwarded();
      dns.close();
    }
  }

  @AfterEach
  void stopKube2Sky() {
    started.forEach(Kube2Sky::close);
    // Close the watches before the extension stops the mock API server, which would wait for them.
    client.close();
  }

  // ---- each kind of Service: created, changed, deleted ----

  @Test
  void clusterIpServiceIsPublishedChangedAndRemoved() throws Exception {
    start();

    apply(client, clusterIp("shop", "web", 80, "10.96.0.10"));
    dns.awaitAnswer(DnsCase.of("A of web", WEB, Type.A).answer(WEB + " 30 IN A 10.96.0.10"));
    dns.awaitAnswer(DnsCase.of("SRV of the named port", WEB_SRV, Type.SRV)
        .answer(WEB_SRV + " 30 IN SRV 10 100 80 " + WEB)
        .additional(WEB + " 30 IN A 10.96.0.10"));
    dns.awaitNoData(WEB, Type.AAAA);
    dns.awaitPtr("10.96.0.10", WEB);

    apply(client, clusterIp("shop", "web", 8080, "10.96.0.20"));
    dns.awaitAnswer(DnsCase.of("A of web, changed", WEB, Type.A).answer(WEB + " 30 IN A 10.96.0.20"));
    dns.awaitAnswer(DnsCase.of("SRV of the named port, changed", WEB_SRV, Type.SRV)
        .answer(WEB_SRV + " 30 IN SRV 10 100 8080 " + WEB)
        .additional(WEB + " 30 IN A 10.96.0.20"));
    dns.awaitPtr("10.96.0.20", WEB);
    dns.awaitNoPtr("10.96.0.10");

    deleteService(client, "shop", "web");
    dns.awaitNxdomain(WEB, Type.A);
    dns.awaitNxdomain(WEB_SRV, Type.SRV);
    dns.awaitNoPtr("10.96.0.20");
  }

  @Test
  void dualStackServiceAnswersAAndAaaaAndLosesItsAaaaWhenSingleStack() throws Exception {
    String dual = "dual.shop.svc.cluster.local.";
    start();

    apply(client, clusterIp("shop", "dual", 80, "10.96.0.30", "fd00::30"));
    dns.awaitAnswer(DnsCase.of("A of a dual-stack Service", dual, Type.A).answer(dual + " 30 IN A 10.96.0.30"));
    dns.awaitAnswer(DnsCase.of("AAAA of a dual-stack Service", dual, Type.AAAA)
        .answer(dual + " 30 IN AAAA fd00::30"));
    dns.awaitPtr("10.96.0.30", dual);
    dns.awaitPtr("fd00::30", dual);

    apply(client, clusterIp("shop", "dual", 80, "10.96.0.30"));
    dns.awaitNoData(dual, Type.AAAA);
    dns.awaitNoPtr("fd00::30");
    dns.awaitAnswer(DnsCase.of("A of the now single-stack Service", dual, Type.A)
        .answer(dual + " 30 IN A 10.96.0.30"));

    deleteService(client, "shop", "dual");
    dns.awaitNxdomain(dual, Type.A);
    dns.awaitNxdomain(dual, Type.AAAA);
    dns.awaitNoPtr("10.96.0.30");
  }

  @Test
  void headlessServiceAnswersItsReadyEndpointsAndIsNxdomainWithoutOne() throws Exception {
    String db = "db.shop.svc.cluster.local.";
    String pet0 = "pet-0." + db;
    String pet1 = "pet-1." + db;
    String srv = "_http._tcp." + db;
    start();

    apply(client, headless("shop", "db"));
    dns.awaitNxdomain(db, Type.A); // no endpoint yet
    apply(client, slice("shop", "db-a", "db", List.of(
        endpoint("10.1.0.1", true, "pet-0"),
        endpoint("10.1.0.2", true, null),
        endpoint("10.1.0.3", false, "pet-1"))));
    dns.awaitAnswer(DnsCase.of("A of a headless Service: its ready endpoints", db, Type.A)
        .answer(db + " 30 IN A 10.1.0.1", db + " 30 IN A 10.1.0.2"));
    dns.awaitAnswer(DnsCase.of("A of an endpoint by hostname", pet0, Type.A).answer(pet0 + " 30 IN A 10.1.0.1"));
    dns.awaitNxdomain(pet1, Type.A); // not ready
    Message srvReply = dns.ask(srv, Type.SRV, false);
    assertThat(srvReply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(srvReply.getSection(org.xbill.DNS.Section.ANSWER)).as("SRV per ready endpoint: %s", srvReply)
        .hasSize(2)
        .allSatisfy(record -> assertThat(record.rdataToString()).startsWith("10 50 80 ").endsWith("." + db))
        .anySatisfy(record -> assertThat(record.rdataToString()).isEqualTo("10 50 80 " + pet0));
    dns.awaitPtr("10.1.0.1", pet0);
    dns.awaitNoPtr("10.1.0.2"); // no hostname, no PTR
    dns.awaitNoPtr("10.1.0.3");

    apply(client, slice("shop", "db-a", "db", List.of(
        endpoint("10.1.0.1", false, "pet-0"),
        endpoint("10.1.0.2", true, null),
        endpoint("10.1.0.3", true, "pet-1"))));
    dns.awaitAnswer(DnsCase.of("A of the headless Service, readiness changed", db, Type.A)
        .answer(db + " 30 IN A 10.1.0.2", db + " 30 IN A 10.1.0.3"));
    dns.awaitAnswer(DnsCase.of("A of the endpoint that became ready", pet1, Type.A)
        .answer(pet1 + " 30 IN A 10.1.0.3"));
    dns.awaitNxdomain(pet0, Type.A);
    dns.awaitPtr("10.1.0.3", pet1);
    dns.awaitNoPtr("10.1.0.1");

    apply(client, slice("shop", "db-a", "db", List.of(
        endpoint("10.1.0.1", false, "pet-0"),
        endpoint("10.1.0.2", false, null))));
    dns.awaitNxdomain(db, Type.A);
    dns.awaitNxdomain(srv, Type.SRV);

    apply(client, slice("shop", "db-a", "db", List.of(endpoint("10.1.0.4", true, null))));
    dns.awaitAnswer(DnsCase.of("A of the headless Service, ready again", db, Type.A)
        .answer(db + " 30 IN A 10.1.0.4"));
    deleteService(client, "shop", "db");
    dns.awaitNxdomain(db, Type.A);
  }

  @Test
  void externalNameServiceAnswersACnameAndWhatItsTargetResolvesTo() throws Exception {
    String ext = "ext.shop.svc.cluster.local.";
    start();

    apply(client, externalName("shop", "ext", "www.example.com"));
    dns.awaitAnswer(DnsCase.of("CNAME of an ExternalName Service", ext, Type.CNAME)
        .answer(ext + " 30 IN CNAME www.example.com."));
    // A target outside is asked of the nameservers and their answer appended, its TTL capped at rcache_ttl.
    dns.upstream().add("www.example.com. 300 IN A 192.0.2.10");
    dns.awaitAnswer(DnsCase.of("A of an ExternalName Service", ext, Type.A)
        .answer(ext + " 30 IN CNAME www.example.com.", "www.example.com. 60 IN A 192.0.2.10"));

    // A target inside the cluster domain is chased without leaving the server.
    apply(client, clusterIp("shop", "web", 80, "10.96.0.40"));
    apply(client, externalName("shop", "ext", "web.shop.svc.cluster.local"));
    dns.awaitAnswer(DnsCase.of("A of an ExternalName Service pointing at a Service", ext, Type.A)
        .answer(ext + " 30 IN CNAME " + WEB, WEB + " 30 IN A 10.96.0.40"));
    dns.awaitAnswer(DnsCase.of("CNAME of the changed ExternalName Service", ext, Type.CNAME)
        .answer(ext + " 30 IN CNAME " + WEB));

    deleteService(client, "shop", "ext");
    dns.awaitNxdomain(ext, Type.A);
    dns.awaitNxdomain(ext, Type.CNAME);
  }

  @Test
  void answersTheSchemaVersion() {
    start();

    dns.awaitAnswer(DnsCase.of("schema version", "dns-version.cluster.local.", Type.TXT)
        .answer("dns-version.cluster.local. 28800 IN TXT \"1.1.0\""));
  }

  @Test
  void isReadyOnceTheFirstFullReconcileHasWrittenEveryService() throws Exception {
    apply(client, clusterIp("shop", "web", 80, "10.96.0.50"));
    Kube2Sky kube2sky = startWithoutWaiting();
    HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

    assertThat(get(http, kube2sky, "/healthz").statusCode()).isEqualTo(200);
    await("/readyz 200").atMost(PROPAGATION).pollInterval(Duration.ofMillis(20))
        .until(() -> get(http, kube2sky, "/readyz").statusCode() == 200);
    // kube2sky's own wiring of the operations server: the old readiness path and its metrics.
    assertThat(get(http, kube2sky, "/readiness").statusCode()).isEqualTo(200);
    assertThat(get(http, kube2sky, "/metrics").body())
        .contains("kube2sky_reconciles_total{result=\"changed\"}", "kube2sky_records_owned");

    // Ready means etcd already holds the Service's records.
    assertThat(etcdValues(WEB_KEY + "/")).as("web's leaves in etcd when ready")
        .anySatisfy(value -> assertThat(value).contains("10.96.0.50"));
    dns.awaitAnswer(DnsCase.of("A of web", WEB, Type.A).answer(WEB + " 30 IN A 10.96.0.50"));
  }

  // ---- never NXDOMAIN or empty while a Service changes ----

  @Test
  void clusterIpChangesNeverShowNxdomainOrAnEmptyAnswer() throws Exception {
    List<String> ips = List.of("10.96.1.1", "10.96.1.2", "10.96.1.3");
    start();
    apply(client, clusterIp("shop", "web", 80, ips.get(0)));
    dns.awaitAnswer(DnsCase.of("A of web", WEB, Type.A).answer(WEB + " 30 IN A " + ips.get(0)));

    try (QueryLoop loop = new QueryLoop(dns.resolver(false), WEB)) {
      for (int update = 1; update <= 30; update++) {
        String ip = ips.get(update % ips.size());
        apply(client, clusterIp("shop", "web", 80, ip));
        loop.awaitAnswer(Set.of(ip));
      }
      loop.report("ClusterIP changed 30 times");
    }
  }

  @Test
  void headlessEndpointChangesNeverShowNxdomainOrAnEmptyAnswer() throws Exception {
    String db = "db.shop.svc.cluster.local.";
    List<List<String>> sets = List.of(
        List.of("10.2.0.1", "10.2.0.2"), List.of("10.2.0.3", "10.2.0.4"), List.of("10.2.0.5", "10.2.0.6"));
    start();
    apply(client, headless("shop", "db"));
    apply(client, slice("shop", "db-a", "db", endpoints(sets.get(0))));
    dns.awaitAnswer(DnsCase.of("A of db", db, Type.A)
        .answer(db + " 30 IN A 10.2.0.1", db + " 30 IN A 10.2.0.2"));

    try (QueryLoop loop = new QueryLoop(dns.resolver(false), db)) {
      for (int update = 1; update <= 30; update++) {
        List<String> ips = sets.get(update % sets.size());
        apply(client, slice("shop", "db-a", "db", endpoints(ips)));
        loop.awaitAnswer(Set.copyOf(ips));
      }
      loop.report("headless endpoints replaced 30 times");
    }
  }

  // ---- recovery and garbage collection ----

  @Test
  void restoresEveryRecordWithinFiveSecondsAfterEtcdRestartsEmpty(@TempDir Path own) throws Exception {
    // Its own etcd and DNS server: the wipe must not disturb the other tests.
    try (EtcdProcess etcd = EtcdProcess.start(Mode.PLAIN);
        DnsUnderTest ownDns = DnsUnderTest.start(etcd.endpoint(), own);
        Client writer = etcd.newClient()) {
      start(etcd.config("skydns"), writer);
      apply(client, clusterIp("shop", "web", 80, "10.96.2.1"));
      ownDns.awaitAnswer(DnsCase.of("A of web", WEB, Type.A).answer(WEB + " 30 IN A 10.96.2.1"));
      // skydns-server notices the empty etcd by its revision going back; lift the old revision well
      // above what the restore writes, so that this test is about kube2sky's restore. (Without this,
      // the restore can overtake the old revision before the server's probe runs: see the report.)
      for (int i = 0; i < 50; i++) {
        writer.getKVClient().put(EtcdClients.bytes("/k2s-e2e/revision"), EtcdClients.bytes(String.valueOf(i)))
            .get(2, TimeUnit.SECONDS);
      }

      etcd.kill();
      etcd.restart(true);
      long restarted = System.nanoTime();
      try (Client reader = etcd.newClient()) {
        await("web's records back in the emptied etcd").atMost(RESTORE_BOUND).pollInterval(Duration.ofMillis(50))
            .ignoreExceptions()
            .until(() -> values(reader, WEB_KEY + "/").stream().anyMatch(value -> value.contains("10.96.2.1")));
        assertThat(values(reader, "/skydns/local/cluster/dns-version")).as("dns-version back").hasSize(1);
        System.out.printf("etcd restarted empty: records back after %d ms%n",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));

        // The DNS server must follow the new etcd too: a change made now is answered. kube2sky's
        // part (etcd) and the server's part (DNS) are awaited apart, so a failure names its side.
        apply(client, clusterIp("shop", "web", 80, "10.96.2.2"));
        await("web's change written to the new etcd").atMost(PROPAGATION).pollInterval(Duration.ofMillis(50))
            .ignoreExceptions()
            .until(() -> values(reader, WEB_KEY + "/").stream().anyMatch(value -> value.contains("10.96.2.2")));
      }
      ownDns.awaitAnswer(DnsCase.of("A of web after the restore", WEB, Type.A).answer(WEB + " 30 IN A 10.96.2.2"));
    }
  }

  @Test
  void removesTheRecordsOfAServiceDeletedWhileKube2skyWasStopped() throws Exception {
    String api = "api.shop.svc.cluster.local.";
    Kube2Sky first = start();
    apply(client, clusterIp("shop", "web", 80, "10.96.3.1"));
    apply(client, clusterIp("shop", "api", 80, "10.96.3.2"));
    dns.awaitAnswer(DnsCase.of("A of web", WEB, Type.A).answer(WEB + " 30 IN A 10.96.3.1"));
    dns.awaitAnswer(DnsCase.of("A of api", api, Type.A).answer(api + " 30 IN A 10.96.3.2"));
    dns.awaitPtr("10.96.3.1", WEB);

    first.close();
    started.remove(first);
    deleteService(client, "shop", "web");
    await("the API server forgot web").atMost(PROPAGATION)
        .until(() -> client.services().inNamespace("shop").withName("web").get() == null);
    assertThat(dns.ask(WEB, Type.A, false).getRcode()).as("web still answered while kube2sky is stopped")
        .isEqualTo(Rcode.NOERROR);

    start();
    dns.awaitNxdomain(WEB, Type.A);
    dns.awaitNxdomain(WEB_SRV, Type.SRV);
    dns.awaitNoPtr("10.96.3.1");
    dns.awaitAnswer(DnsCase.of("A of api, kept", api, Type.A).answer(api + " 30 IN A 10.96.3.2"));
    assertThat(etcdValues(WEB_KEY)).isEmpty();
    assertThat(etcdValues(WEB_KEY + "/")).isEmpty();
  }

  // ---- helpers ----

  /** Starts kube2sky on the class's etcd and waits until it is ready. */
  private Kube2Sky start() {
    return start(ETCD.etcd().config("skydns"), kube2skyEtcd);
  }

  private Kube2Sky start(EtcdConfig etcd, Client etcdClient) {
    Kube2Sky kube2sky = startWithoutWaiting(etcd, etcdClient);
    await("kube2sky ready").atMost(PROPAGATION).until(kube2sky::isReady);
    return kube2sky;
  }

  private Kube2Sky startWithoutWaiting() {
    return startWithoutWaiting(ETCD.etcd().config("skydns"), kube2skyEtcd);
  }

  private Kube2Sky startWithoutWaiting(EtcdConfig etcd, Client etcdClient) {
    Kube2SkyConfig config = new Kube2SkyConfig(DnsUnderTest.DOMAIN, etcd, Optional.empty(), Optional.empty(),
        new InetSocketAddress("127.0.0.1", 0), Duration.ofMinutes(5), false, EtcdRecordStore.DEFAULT_MAX_TXN_OPS);
    try {
      Kube2Sky kube2sky = Kube2Sky.start(config, client, etcdClient);
      started.add(kube2sky);
      return kube2sky;
    } catch (IOException e) {
      throw new AssertionError("kube2sky did not start", e);
    }
  }

  private static List<Endpoint> endpoints(List<String> ips) {
    return ips.stream().map(ip -> endpoint(ip, true, null)).toList();
  }

  private static HttpResponse<String> get(HttpClient http, Kube2Sky kube2sky, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + kube2sky.healthAddress().getPort() + path);
    return http.send(HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> etcdValues(String key) throws Exception {
    return values(kube2skyEtcd, key);
  }

  /** Returns the values at {@code key}, or under it when it ends with a slash. */
  private static List<String> values(Client etcd, String key) throws Exception {
    GetOption option = key.endsWith("/") ? GetOption.builder().isPrefix(true).build() : GetOption.DEFAULT;
    return etcd.getKVClient().get(EtcdClients.bytes(key), option).get(2, TimeUnit.SECONDS).getKvs().stream()
        .map(kv -> kv.getValue().toString(java.nio.charset.StandardCharsets.UTF_8))
        .toList();
  }

  /**
   * Asks one name for A records over UDP as fast as one thread can, until closed, and keeps every
   * reply that is not NOERROR with at least one address: NXDOMAIN, an empty answer, or no reply.
   */
  private static final class QueryLoop implements AutoCloseable {
    private static final int KEPT_FAILURES = 10;

    private final SimpleResolver resolver;
    private final DnsCase question;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Queue<String> failed = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Set<String>> lastAnswer = new AtomicReference<>(Set.of());
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private int updates;

    QueryLoop(SimpleResolver resolver, String name) {
      this.resolver = resolver;
      this.question = DnsCase.of(name, name, Type.A);
      thread = new Thread(this::run, "query-loop");
      thread.start();
    }

    private void run() {
      while (running.get()) {
        queries.incrementAndGet();
        try {
          Message reply = resolver.send(question.query());
          List<String> addresses = DnsUnderTest.addresses(reply);
          if (reply.getRcode() != Rcode.NOERROR || addresses.isEmpty()) {
            fail("query " + queries.get() + ": " + Rcode.string(reply.getRcode()) + " with addresses "
                + addresses + "\n" + reply);
          } else {
            lastAnswer.set(Set.copyOf(addresses));
          }
        } catch (IOException | RuntimeException e) {
          fail("query " + queries.get() + ": no reply: " + e);
        }
      }
    }

    private void fail(String what) {
      if (failures.incrementAndGet() <= KEPT_FAILURES) {
        failed.add(what);
      }
    }

    /** Waits until the loop has seen exactly {@code addresses}: the update went through. */
    void awaitAnswer(Set<String> addresses) {
      updates++;
      await("update " + updates + " answered as " + addresses).atMost(PROPAGATION)
          .pollInterval(Duration.ofMillis(5))
          .until(() -> lastAnswer.get().equals(addresses) || !thread.isAlive());
      assertThat(thread.isAlive()).as("query loop running").isTrue();
    }

    /** Stops the loop, prints how many questions it asked, and fails on any bad reply. */
    void report(String what) throws InterruptedException {
      close();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      System.out.printf("no-NXDOMAIN window, %s: %d queries in %d ms, %d bad replies%n",
          what, queries.get(), millis, failures.get());
      assertThat(queries.get()).as("queries asked during %d updates", updates).isGreaterThan(updates);
      assertThat(failed).as("%d replies that were NXDOMAIN, empty or missing (first %d shown)",
          failures.get(), KEPT_FAILURES).isEmpty();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(TimeUnit.SECONDS.toMillis(10));
    }
  }
}
