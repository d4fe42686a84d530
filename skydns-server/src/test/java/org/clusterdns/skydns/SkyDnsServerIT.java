package org.clusterdns.skydns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.clusterdns.etcd.EtcdClients;
import org.clusterdns.skydns.config.ListenConfig;
import org.clusterdns.skydns.config.ServerConfig;
import org.clusterdns.skydns.config.ServerConfigLoader;
import org.clusterdns.skydns.testing.Dig;
import org.clusterdns.skydns.testing.DnsAssertions;
import org.clusterdns.skydns.testing.DnsCase;
import org.clusterdns.etcd.testing.EtcdExtension;
import org.clusterdns.etcd.testing.EtcdProcess;
import org.clusterdns.etcd.testing.EtcdProcess.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * skydns-server end to end, as {@link Main} assembles it: configuration from command-line flags
 * through {@link ServerConfigLoader}, records in a real etcd written with jetcd, questions over
 * real UDP and TCP sockets from dnsjava and from {@code dig}, and the operations endpoints over
 * HTTP. Every example of the SkyDNS README is answered as the README shows it (with the
 * documented deviations: SRV weights per priority, AA on PTR off).
 */
class SkyDnsServerIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ZONE = "/skydns/local/skydns/";
  /** The SOA of negative answers; {@code SERIAL} is the hour of the reply, filled in per reply. */
  private static final String SOA =
      "skydns.local. 60 IN SOA ns.dns.skydns.local. hostmaster.skydns.local. SERIAL 28800 7200 604800 60";
  private static final String REQUESTS = "skydns_skydns_dns_request_count_total";

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension(Mode.PLAIN);

  @TempDir
  static Path directory;

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();
  private static Client writer;
  private static Client serverClient;
  /** Stands in for the upstream nameservers: receives forwarded queries and never answers. */
  private static DatagramChannel upstream;
  private static SkyDnsServer server;

  /** How a question travels. */
  enum Transport { UDP, TCP }

  @BeforeAll
  static void startServer() throws Exception {
    writer = ETCD.etcd().newClient();
    // The SkyDNS README's examples.
    put(ZONE + "east/production/rails/1", "{\"host\":\"service1.example.com\",\"port\":8080}");
    put(ZONE + "west/production/rails/2", "{\"host\":\"service2.example.com\",\"port\":8080}");
    put(ZONE + "east/staging/rails/4", "{\"host\":\"10.0.1.125\",\"port\":8080}");
    put(ZONE + "east/staging/rails/6", "{\"host\":\"2003::8:1\",\"port\":8080}");
    put(ZONE + "dns/ns/ns1", "{\"host\":\"192.168.0.1\"}");
    put("/skydns/arpa/in-addr/10/0/1/125", "{\"host\":\"4.rails.staging.east.skydns.local\"}");

    upstream = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    upstream.configureBlocking(false);
    ServerConfig config = load(ETCD.etcd().endpoint().toString());
    serverClient = EtcdClients.create(config.etcd());
    server = SkyDnsServer.start(config, serverClient);
    assertThat(server.awaitReady(WAIT)).as("first load from etcd").isTrue();
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (server != null) {
      server.close();
    }
    if (serverClient != null) {
      serverClient.close();
    }
    if (writer != null) {
      writer.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  /**
   * Builds the configuration the way {@link Main} does, from flags, with etcd at {@code machines}
   * and {@link #upstream} as the only nameserver.
   */
  private static ServerConfig load(String machines) throws IOException {
    Path resolvConf = directory.resolve("resolv.conf");
    Files.writeString(resolvConf, "nameserver 127.0.0.1\n", StandardCharsets.US_ASCII);
    ServerConfigLoader loader = new ServerConfigLoader(Map.of(), resolvConf);
    ServerConfigLoader.Result parsed = loader.parse("-machines", machines, "-domain", "skydns.local.",
        "-nameservers", "127.0.0.1:" + ((InetSocketAddress) upstream.getLocalAddress()).getPort(),
        "-health-addr", "127.0.0.1:0", "-round-robin=false", "-rtimeout", "200ms");
    assertThat(parsed).isInstanceOf(ServerConfigLoader.Start.class);
    ServerConfig config = loader.complete(((ServerConfigLoader.Start) parsed).bootstrap(), Optional.empty());
    // -addr takes ports 1-65535 only, as in SkyDNS; a test needs port 0, so it replaces the listener.
    return config.withListen(ListenConfig.defaults(new InetSocketAddress("127.0.0.1", 0)));
  }

  static Stream<DnsCase> readme() {
    return Stream.of(
        DnsCase.of("SRV of a service with a name host", "1.rails.production.east.skydns.local.", Type.SRV)
            .answer("1.rails.production.east.skydns.local. 3600 IN SRV 10 100 8080 service1.example.com."),
        DnsCase.of("SRV of a region: three services, 33 each, glue for the IP ones", "east.skydns.local.", Type.SRV)
            .answer("east.skydns.local. 3600 IN SRV 10 33 8080 service1.example.com.",
                "east.skydns.local. 3600 IN SRV 10 33 8080 4.rails.staging.east.skydns.local.",
                "east.skydns.local. 3600 IN SRV 10 33 8080 6.rails.staging.east.skydns.local.")
            .additional("4.rails.staging.east.skydns.local. 3600 IN A 10.0.1.125",
                "6.rails.staging.east.skydns.local. 3600 IN AAAA 2003::8:1"),
        DnsCase.of("A of an IPv4 service", "4.rails.staging.east.skydns.local.", Type.A)
            .answer("4.rails.staging.east.skydns.local. 3600 IN A 10.0.1.125"),
        DnsCase.of("AAAA of an IPv6 service", "6.rails.staging.east.skydns.local.", Type.AAAA)
            .answer("6.rails.staging.east.skydns.local. 3600 IN AAAA 2003::8:1"),
        DnsCase.of("SRV of an IP service: synthesised target with glue", "4.rails.staging.east.skydns.local.", Type.SRV)
            .answer("4.rails.staging.east.skydns.local. 3600 IN SRV 10 100 8080 4.rails.staging.east.skydns.local.")
            .additional("4.rails.staging.east.skydns.local. 3600 IN A 10.0.1.125"),
        DnsCase.of("SRV of staging.east: 50/50 with glue", "staging.east.skydns.local.", Type.SRV)
            .answer("staging.east.skydns.local. 3600 IN SRV 10 50 8080 4.rails.staging.east.skydns.local.",
                "staging.east.skydns.local. 3600 IN SRV 10 50 8080 6.rails.staging.east.skydns.local.")
            .additional("4.rails.staging.east.skydns.local. 3600 IN A 10.0.1.125",
                "6.rails.staging.east.skydns.local. 3600 IN AAAA 2003::8:1"),
        DnsCase.of("A of staging.east lists its addresses", "staging.east.skydns.local.", Type.A)
            .answer("staging.east.skydns.local. 3600 IN A 10.0.1.125"),
        DnsCase.of("SRV of *.east", "*.east.skydns.local.", Type.SRV)
            .answer("*.east.skydns.local. 3600 IN SRV 10 33 8080 service1.example.com.",
                "*.east.skydns.local. 3600 IN SRV 10 33 8080 4.rails.staging.east.skydns.local.",
                "*.east.skydns.local. 3600 IN SRV 10 33 8080 6.rails.staging.east.skydns.local.")
            .additional("4.rails.staging.east.skydns.local. 3600 IN A 10.0.1.125",
                "6.rails.staging.east.skydns.local. 3600 IN AAAA 2003::8:1"),
        DnsCase.of("SRV of staging.* (any region)", "staging.*.skydns.local.", Type.SRV)
            .answer("staging.*.skydns.local. 3600 IN SRV 10 50 8080 4.rails.staging.east.skydns.local.",
                "staging.*.skydns.local. 3600 IN SRV 10 50 8080 6.rails.staging.east.skydns.local.")
            .additional("4.rails.staging.east.skydns.local. 3600 IN A 10.0.1.125",
                "6.rails.staging.east.skydns.local. 3600 IN AAAA 2003::8:1"),
        DnsCase.of("SRV of staging.any: any is *", "staging.any.skydns.local.", Type.SRV)
            .answer("staging.any.skydns.local. 3600 IN SRV 10 50 8080 4.rails.staging.east.skydns.local.",
                "staging.any.skydns.local. 3600 IN SRV 10 50 8080 6.rails.staging.east.skydns.local.")
            .additional("4.rails.staging.east.skydns.local. 3600 IN A 10.0.1.125",
                "6.rails.staging.east.skydns.local. 3600 IN AAAA 2003::8:1"),
        DnsCase.of("NS at the apex from dns/ns, with glue", "skydns.local.", Type.NS)
            .answer("skydns.local. 3600 IN NS ns1.ns.dns.skydns.local.")
            .additional("ns1.ns.dns.skydns.local. 3600 IN A 192.168.0.1"),
        DnsCase.of("PTR from the arpa key, AA off", "125.1.0.10.in-addr.arpa.", Type.PTR)
            .aa(false)
            .answer("125.1.0.10.in-addr.arpa. 3600 IN PTR 4.rails.staging.east.skydns.local."),
        DnsCase.of("missing name: NXDOMAIN with the SOA", "nothing.skydns.local.", Type.A)
            .rcode(Rcode.NXDOMAIN)
            .authority(SOA));
  }

  static Stream<Arguments> readmeOverUdpAndTcp() {
    return readme().flatMap(c -> Stream.of(Arguments.of(c, Transport.UDP), Arguments.of(c, Transport.TCP)));
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("readmeOverUdpAndTcp")
  void answersTheReadmeExamples(DnsCase example, Transport transport) throws IOException {
    long hour = earliestReplyHour();
    assertMatches(ask(server, example, transport), example, hour);
  }

  @ParameterizedTest(name = "dig: {0} over {1}")
  @MethodSource("readmeOverUdpAndTcp")
  void answersTheReadmeExamplesToDig(DnsCase example, Transport transport) {
    Assumptions.assumeTrue(Dig.available(), "dig is not installed (Debian package bind9-dnsutils)");
    long hour = earliestReplyHour();
    Message reply = Dig.ask(server.udpAddress(), example.qname(), example.qtype(), transport == Transport.TCP);
    assertMatches(reply, example, hour);
  }

  @Test
  void answersARecordOnceItIsPutAndForgetsItOnceDeleted() throws Exception {
    DnsCase present = DnsCase.of("put in etcd", "fresh.live.skydns.local.", Type.A)
        .answer("fresh.live.skydns.local. 3600 IN A 10.9.0.1");
    DnsCase absent = DnsCase.of("deleted from etcd", "fresh.live.skydns.local.", Type.A)
        .rcode(Rcode.NXDOMAIN).authority(SOA);
    long hour = earliestReplyHour();
    assertMatches(ask(server, absent, Transport.UDP), absent, hour);

    put(ZONE + "live/fresh", "{\"host\":\"10.9.0.1\"}");
    await("the new record answered").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> DnsAssertions.assertMatches(ask(server, present, Transport.UDP), present));
    DnsAssertions.assertMatches(ask(server, present, Transport.TCP), present);

    delete(ZONE + "live/fresh");
    await("the deleted record gone").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
        .until(() -> ask(server, absent, Transport.UDP).getRcode() == Rcode.NXDOMAIN);
    long now = earliestReplyHour();
    assertMatches(ask(server, absent, Transport.TCP), absent, now);
  }

  /**
   * Guards the answer cache's invalidation: a reply stored before a change must not outlive the
   * change. This server keeps stored replies for an hour while the data does not change, so within
   * the wait only invalidation, not expiry, can bring the new value, however slow the machine.
   */
  @Test
  void answersTheNewValueOfAChangedRecordAlthoughTheOldOneIsCached() throws Exception {
    // In the first load: a question asked before a later put arrived would store NXDOMAIN.
    put(ZONE + "warm/x", "{\"host\":\"10.9.1.1\"}");
    ServerConfig config = load(ETCD.etcd().endpoint().toString());
    try (Client client = EtcdClients.create(config.etcd());
        SkyDnsServer keeping = SkyDnsServer.start(config, client, Duration.ofHours(1))) {
      assertThat(keeping.awaitReady(WAIT)).as("first load from etcd").isTrue();
      DnsCase before = DnsCase.of("before the change", "x.warm.skydns.local.", Type.A)
          .answer("x.warm.skydns.local. 3600 IN A 10.9.1.1");
      DnsCase after = DnsCase.of("after the change", "x.warm.skydns.local.", Type.A)
          .answer("x.warm.skydns.local. 3600 IN A 10.9.1.2");
      await("the first value answered").atMost(WAIT).pollInterval(Duration.ofMillis(50))
          .untilAsserted(() -> DnsAssertions.assertMatches(ask(keeping, before, Transport.UDP), before));

      double cachedBefore = metric(metrics(keeping), REQUESTS + "{system=\"cache\"}");
      DnsAssertions.assertMatches(ask(keeping, before, Transport.UDP), before);
      DnsAssertions.assertMatches(ask(keeping, before, Transport.UDP), before);
      assertThat(metric(metrics(keeping), REQUESTS + "{system=\"cache\"}"))
          .as("the repeated question was answered from the cache").isGreaterThanOrEqualTo(cachedBefore + 1);

      put(ZONE + "warm/x", "{\"host\":\"10.9.1.2\"}");
      await("the changed value answered although the old reply is stored").atMost(WAIT)
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(() -> DnsAssertions.assertMatches(ask(keeping, after, Transport.UDP), after));
    }
  }

  @Test
  void isReadyAndCountsQueriesIncludingCacheHits() throws Exception {
    HttpResponse<String> ready = get(server, "/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);

    DnsCase question = readme().filter(c -> c.qtype() == Type.A && c.rcode() == Rcode.NOERROR).findFirst().orElseThrow();
    double authBefore = metric(metrics(server), REQUESTS + "{system=\"auth\"}");
    double cachedBefore = metric(metrics(server), REQUESTS + "{system=\"cache\"}");
    for (int i = 0; i < 3; i++) {
      DnsAssertions.assertMatches(ask(server, question, Transport.UDP), question);
    }
    String metrics = metrics(server);
    assertThat(metrics).contains(REQUESTS + "{system=");
    // The first question may already be cached by an earlier test; the later two always are.
    assertThat(metric(metrics, REQUESTS + "{system=\"cache\"}")).isGreaterThanOrEqualTo(cachedBefore + 2);
    assertThat(metric(metrics, REQUESTS + "{system=\"cache\"}") + metric(metrics, REQUESTS + "{system=\"auth\"}"))
        .isEqualTo(cachedBefore + authBefore + 3);
  }

  @ParameterizedTest(name = "over {0}")
  @EnumSource(Transport.class)
  void forwardsNamesOutsideTheDomainAndFailsWhenTheNameserverIsSilent(Transport transport) throws IOException {
    DnsCase outside = DnsCase.of("outside the domain", "www.example.org.", Type.A).rcode(Rcode.SERVFAIL).aa(false);
    DnsCase reverse = DnsCase.of("reverse name without a record", "9.9.9.10.in-addr.arpa.", Type.PTR)
        .rcode(Rcode.SERVFAIL).aa(false);

    DnsAssertions.assertMatches(ask(server, outside, transport), outside);
    assertThat(receivedUpstream()).as("the forwarded question").isEqualTo(outside.qname());
    DnsAssertions.assertMatches(ask(server, reverse, transport), reverse);
    assertThat(receivedUpstream()).as("the forwarded question").isEqualTo(reverse.qname());
  }

  /** Returns the question name of the query the silent nameserver received last, draining it. */
  private static String receivedUpstream() throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(512);
    String last = null;
    while (upstream.receive(buffer) != null) {
      buffer.flip();
      byte[] wire = new byte[buffer.remaining()];
      buffer.get(wire);
      last = new Message(wire).getQuestion().getName().toString();
      buffer.clear();
    }
    return last;
  }

  @ParameterizedTest(name = "over {0}")
  @EnumSource(Transport.class)
  void keepsTheCaseOfTheQuestionInTheAnswer(Transport transport) throws IOException {
    DnsCase lower = DnsCase.of("lower case", "4.rails.staging.east.skydns.local.", Type.A)
        .answer("4.rails.staging.east.skydns.local. 3600 IN A 10.0.1.125");
    DnsCase mixed = DnsCase.of("mixed case", "4.RAILS.staging.East.skydns.local.", Type.A)
        .answer("4.RAILS.staging.East.skydns.local. 3600 IN A 10.0.1.125");

    // The lower-case reply is cached first: the mixed-case question must not get its spelling.
    DnsAssertions.assertMatches(ask(server, lower, transport), lower);
    DnsAssertions.assertMatches(ask(server, mixed, transport), mixed);
    DnsAssertions.assertMatches(ask(server, mixed, transport), mixed);
    DnsAssertions.assertMatches(ask(server, lower, transport), lower);
  }

  @ParameterizedTest(name = "over {0}")
  @EnumSource(Transport.class)
  void answersAnEdnsQueryWithAnOpt(Transport transport) throws IOException {
    SimpleResolver resolver = resolver(server, transport);
    resolver.setEDNS(0, 1232, 0, List.of());
    Message query = DnsCase.of("EDNS", "4.rails.staging.east.skydns.local.", Type.A).query();

    // Twice: the second reply comes from the answer cache, which must keep the OPT too.
    for (int i = 0; i < 2; i++) {
      Message reply = resolver.send(query.clone());
      assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(reply.getOPT()).as("OPT in reply %d", i + 1).isNotNull();
      assertThat(reply.getOPT().getVersion()).isZero();
      assertThat(reply.getSection(Section.ANSWER)).singleElement()
          .satisfies(record -> assertThat(((ARecord) record).getAddress().getHostAddress()).isEqualTo("10.0.1.125"));
      assertThat(reply.getSection(Section.ADDITIONAL)).as("only the OPT").hasSize(1);
    }
  }

  @Test
  void refusesQueriesAndIsNotReadyBeforeTheFirstLoad() throws Exception {
    // Nothing listens there: the first load cannot complete while the test runs.
    ServerConfig config = load("http://127.0.0.1:" + EtcdProcess.freePort());
    DnsCase refused = DnsCase.of("before the first load", "4.rails.staging.east.skydns.local.", Type.A)
        .rcode(Rcode.REFUSED).aa(false);
    try (Client client = EtcdClients.create(config.etcd());
        SkyDnsServer early = SkyDnsServer.start(config, client)) {
      DnsAssertions.assertMatches(ask(early, refused, Transport.UDP), refused);
      DnsAssertions.assertMatches(ask(early, refused, Transport.TCP), refused);
      assertThat(get(early, "/readyz").statusCode()).isEqualTo(503);
      assertThat(get(early, "/healthz").statusCode()).isEqualTo(200);
      assertThat(early.backendStatus().revision()).isZero();
    }
  }

  // ---- helpers ----

  private static void put(String key, String value) throws Exception {
    writer.getKVClient().put(bytes(key), bytes(value)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void delete(String key) throws Exception {
    writer.getKVClient().delete(bytes(key)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }

  /** Returns a resolver without EDNS, so that replies hold no OPT and sections compare whole. */
  private static SimpleResolver resolver(SkyDnsServer target, Transport transport) {
    boolean tcp = transport == Transport.TCP;
    SimpleResolver resolver = new SimpleResolver(tcp ? target.tcpAddress() : target.udpAddress());
    resolver.setTCP(tcp);
    resolver.setTimeout(WAIT);
    resolver.setEDNS(-1);
    // A truncated UDP reply must show as one, not be silently retried over TCP.
    resolver.setIgnoreTruncation(true);
    return resolver;
  }

  private static Message ask(SkyDnsServer target, DnsCase question, Transport transport) throws IOException {
    return resolver(target, transport).send(question.query());
  }

  /**
   * Checks {@code reply} against {@code expected}, whose {@code SERIAL} stands for the SOA serial:
   * the hour the reply was made, between {@code hourBefore} (from {@link #earliestReplyHour()},
   * read before asking) and now.
   */
  private static void assertMatches(Message reply, DnsCase expected, long hourBefore) {
    long serial = hourBefore;
    for (Record record : reply.getSection(Section.AUTHORITY)) {
      if (record instanceof SOARecord soa) {
        serial = soa.getSerial();
      }
    }
    assertThat(serial).as("SOA serial: the hour of the reply").isIn(hourBefore, currentHour());
    String hour = String.valueOf(serial);
    DnsAssertions.assertMatches(reply, new DnsCase(expected.name(), expected.qname(), expected.qtype(),
        expected.qclass(), expected.rcode(), expected.aa(),
        expected.answer().stream().map(line -> line.replace("SERIAL", hour)).toList(),
        expected.authority().stream().map(line -> line.replace("SERIAL", hour)).toList(),
        expected.additional()));
  }

  private static long currentHour() {
    return hourOf(System.currentTimeMillis());
  }

  /**
   * Returns the hour of the oldest reply the server may send now: the answer cache reuses a reply
   * for up to its max age, so one made just before the hour turned can still come after.
   */
  private static long earliestReplyHour() {
    return hourOf(System.currentTimeMillis() - SkyDnsServer.ANSWER_CACHE_MAX_AGE.toMillis());
  }

  private static long hourOf(long millis) {
    long seconds = millis / 1000;
    return seconds - seconds % 3600;
  }

  private static HttpResponse<String> get(SkyDnsServer target, String path) throws Exception {
    InetSocketAddress address = target.healthAddress().orElseThrow();
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + address.getPort() + path)).timeout(WAIT).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String metrics(SkyDnsServer target) throws Exception {
    HttpResponse<String> response = get(target, "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** Returns the value of the series written exactly as {@code series}; fails when it is missing. */
  private static double metric(String metrics, String series) {
    Matcher matcher = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
    assertThat(matcher.find()).as("series %s in:\n%s", series, metrics).isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}
