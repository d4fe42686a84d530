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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clusterdns.etcd.EtcdClients;
import org.clusterdns.etcd.testing.EtcdExtension;
import org.clusterdns.etcd.testing.EtcdProcess.Mode;
import org.clusterdns.skydns.config.ListenConfig;
import org.clusterdns.skydns.config.ServerConfig;
import org.clusterdns.skydns.config.ServerConfigLoader;
import org.clusterdns.skydns.testing.Dig;
import org.clusterdns.skydns.testing.DnsAssertions;
import org.clusterdns.skydns.testing.DnsCase;
import org.clusterdns.skydns.testing.TestNameserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * skydns-server as every pod's only nameserver, end to end: real etcd, real sockets, upstream
 * nameservers started by the test on loopback, answers checked with dnsjava and dig. Names outside
 * the domain, reverse names without a local record, aliases leaving the domain, stub zones that
 * follow etcd, and two servers configured as each other's stub.
 */
class ForwardingIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String WWW = "www.example.org. 300 IN A 192.0.2.80";

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension(Mode.PLAIN);

  @TempDir
  Path directory;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private Client writer;
  private TestNameserver upstream;

  @BeforeEach
  void start() {
    writer = ETCD.etcd().newClient();
    resources.add(writer);
    upstream = TestNameserver.start(WWW, "99.0.0.10.in-addr.arpa. 300 IN PTR host.example.org.");
    resources.add(upstream);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void answersNamesOutsideTheDomainFromTheNameservers(boolean tcp) throws Exception {
    SkyDnsServer server = server("skydns", "-nameservers", upstream.hostPort());

    Message reply = resolver(server, tcp).send(DnsCase.of("", "www.example.org.", Type.A).query());

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(reply.getHeader().getFlag(Flags.RA)).isTrue();
    DnsAssertions.assertSection(reply, Section.ANSWER, List.of(WWW));
    if (Dig.available()) {
      Message dug = Dig.ask(server.udpAddress(), "www.example.org.", Type.A, tcp);
      DnsAssertions.assertSection(dug, Section.ANSWER, List.of(WWW));
    }
  }

  @Test
  void aLargeForwardedAnswerFitsTheClientsSize() throws Exception {
    List<String> many = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      many.add("big.example.org. 300 IN A 198.51.100." + i);
    }
    upstream.add(many.toArray(String[]::new));
    SkyDnsServer server = server("skydns", "-nameservers", upstream.hostPort());

    // The upstream answers in about 1,000 bytes (within the 1232 asked for); a UDP client
    // without EDNS gets what fits in 512 bytes with TC, and over TCP all of it.
    SimpleResolver udp = resolver(server, false);
    udp.setIgnoreTruncation(true);
    Message truncated = udp.send(DnsCase.of("", "big.example.org.", Type.A).query());
    assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(truncated.toWire().length).isLessThanOrEqualTo(512);
    Message whole = resolver(server, true).send(DnsCase.of("", "big.example.org.", Type.A).query());
    assertThat(whole.getSection(Section.ANSWER)).hasSize(60);
  }

  @Test
  void theResponseCacheAnswersRepeatedForwardedQuestions() throws Exception {
    SkyDnsServer server = server("skydns", "-nameservers", upstream.hostPort(), "-rcache", "100");

    for (int i = 0; i < 3; i++) {
      Message reply = resolver(server, i == 1).send(DnsCase.of("", i == 2 ? "WWW.example.ORG." : "www.example.org.",
          Type.A).query());
      assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
    }

    assertThat(upstream.receivedFor("www.example.org.", Type.A)).as("asked upstream once").isEqualTo(1);
    assertThat(metric(server, "skydns_skydns_dns_cachemiss_count_total{cache=\"response\"}")).isEqualTo(1);
  }

  @Test
  void reverseNamesWithoutALocalRecordGoUpstream() throws Exception {
    // In the first load: asked before a later put arrived, the name would rightly go upstream.
    put("/skydns/arpa/in-addr/10/0/0/1", "{\"host\":\"local.skydns.local\"}");
    SkyDnsServer server = server("skydns", "-nameservers", upstream.hostPort());

    DnsAssertions.assertSection(ask(server, "1.0.0.10.in-addr.arpa.", Type.PTR), Section.ANSWER,
        List.of("1.0.0.10.in-addr.arpa. 3600 IN PTR local.skydns.local."));
    DnsAssertions.assertSection(ask(server, "99.0.0.10.in-addr.arpa.", Type.PTR), Section.ANSWER,
        List.of("99.0.0.10.in-addr.arpa. 300 IN PTR host.example.org."));
    assertThat(upstream.receivedFor("1.0.0.10.in-addr.arpa.", Type.PTR)).isZero();
    assertThat(ask(server, "98.0.0.10.in-addr.arpa.", Type.PTR).getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void anAliasLeavingTheDomainComesWithTheTargetsAddresses() throws Exception {
    SkyDnsServer server = server("skydns", "-nameservers", upstream.hostPort());
    put("/skydns/local/skydns/web", "{\"host\":\"www.example.org\",\"ttl\":30}");

    await().atMost(WAIT).untilAsserted(() -> DnsAssertions.assertSection(
        ask(server, "web.skydns.local.", Type.A), Section.ANSWER,
        List.of("web.skydns.local. 30 IN CNAME www.example.org.", "www.example.org. 60 IN A 192.0.2.80")));
  }

  @Test
  void answersServfailPromptlyWhenTheNameserversAreSilent() throws Exception {
    upstream.behave(TestNameserver.Behaviour.SILENT);
    SkyDnsServer server = server("skydns", "-nameservers", upstream.hostPort(), "-rtimeout", "300ms");

    Message reply = ask(server, "www.example.org.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(upstream.received()).hasSize(1);
    assertThat(metric(server, "skydns_skydns_forward_upstream_exchanges_total{result=\"timeout\",upstream=\""
        + upstream.hostPort() + "\"}")).isEqualTo(1);
  }

  @Test
  void aReverseNameGetsServfailWhenTheNameserversFail() throws Exception {
    upstream.behave(TestNameserver.Behaviour.SILENT);
    SkyDnsServer server = server("skydns", "-nameservers", upstream.hostPort(), "-rtimeout", "300ms");

    assertThat(ask(server, "99.0.0.10.in-addr.arpa.", Type.PTR).getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(upstream.receivedFor("99.0.0.10.in-addr.arpa.", Type.PTR)).isEqualTo(1);
  }

  @Test
  void noRecRefusesNamesOutsideTheDomain() throws Exception {
    SkyDnsServer server = server("skydns", "-nameservers", upstream.hostPort(), "-no-rec");

    assertThat(ask(server, "www.example.org.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void stubZonesComeFromEtcdAndFollowItsChanges() throws Exception {
    TestNameserver stub = TestNameserver.start("www.example.net. 300 IN A 192.0.2.53");
    resources.add(stub);
    SkyDnsServer server = server("skydns", "-nameservers", upstream.hostPort(), "-stubzones");

    put("/skydns/local/skydns/dns/stub/net/example/ns1", "{\"host\":\"127.0.0.1\",\"port\":" + stub.address().getPort() + "}");
    await().atMost(WAIT).untilAsserted(() -> DnsAssertions.assertSection(
        ask(server, "www.example.net.", Type.A), Section.ANSWER, List.of("www.example.net. 300 IN A 192.0.2.53")));
    assertThat(metric(server, "skydns_skydns_dns_request_count_total{system=\"stub\"}")).isGreaterThanOrEqualTo(1);

    // Questions asked before the stub zone was loaded went to the nameservers too.
    long beforeRemoval = upstream.receivedFor("www.example.net.", Type.A);
    writer.getKVClient().delete(bytes("/skydns/local/skydns/dns/stub/net/example/ns1")).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).untilAsserted(() -> {
      ask(server, "www.example.net.", Type.A);
      assertThat(upstream.receivedFor("www.example.net.", Type.A))
          .as("after the stub zone is removed, the name goes to the nameservers").isGreaterThan(beforeRemoval);
    });
  }

  @Test
  void aStubZoneAddedOrRemovedTakesOverCachedAnswersAtOnce() throws Exception {
    TestNameserver stub = TestNameserver.start("www.example.org. 300 IN A 192.0.2.53");
    resources.add(stub);
    // Cached answers would otherwise live for a minute (rcache_ttl), far beyond the wait below.
    SkyDnsServer server = server("skydns", "-nameservers", upstream.hostPort(), "-stubzones", "-rcache", "100",
        "-rcache-ttl", "60");
    for (int i = 0; i < 2; i++) {
      DnsAssertions.assertSection(ask(server, "www.example.org.", Type.A), Section.ANSWER, List.of(WWW));
    }
    assertThat(upstream.receivedFor("www.example.org.", Type.A)).as("the second answer came from a cache").isEqualTo(1);

    put("/skydns/local/skydns/dns/stub/org/example/ns1", "{\"host\":\"127.0.0.1\",\"port\":" + stub.address().getPort() + "}");
    await().atMost(WAIT).untilAsserted(() -> DnsAssertions.assertSection(
        ask(server, "www.example.org.", Type.A), Section.ANSWER, List.of("www.example.org. 300 IN A 192.0.2.53")));

    writer.getKVClient().delete(bytes("/skydns/local/skydns/dns/stub/org/example/ns1")).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).untilAsserted(() -> DnsAssertions.assertSection(
        ask(server, "www.example.org.", Type.A), Section.ANSWER, List.of(WWW)));
  }

  @Test
  void twoServersThatAreEachOthersStubDoNotLoop() throws Exception {
    // A loop that is not cut ends only by a read timeout: one far beyond the bound below tells the two apart.
    SkyDnsServer first = server("first", "-nameservers", upstream.hostPort(), "-stubzones", "-rtimeout", "20s");
    SkyDnsServer second = server("second", "-nameservers", upstream.hostPort(), "-stubzones", "-rtimeout", "20s");
    put("/first/local/skydns/dns/stub/net/example/ns1",
        "{\"host\":\"127.0.0.1\",\"port\":" + second.udpAddress().getPort() + "}");
    put("/second/local/skydns/dns/stub/net/example/ns1",
        "{\"host\":\"127.0.0.1\",\"port\":" + first.udpAddress().getPort() + "}");
    await().atMost(WAIT).until(() -> ask(first, "probe.example.net.", Type.A).getRcode() == Rcode.SERVFAIL
        && ask(second, "probe.example.net.", Type.A).getRcode() == Rcode.SERVFAIL);
    double refusedBefore = loops(first) + loops(second);

    long started = System.nanoTime();
    Message reply = ask(first, "www.example.net.", Type.A);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    // first -> second (marked) -> refused at once: SERVFAIL for the client, no ping-pong.
    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(took).as("the loop is cut at once, not by a timeout").isLessThan(Duration.ofSeconds(5));
    assertThat(loops(first) + loops(second) - refusedBefore).isEqualTo(1);
    assertThat(upstream.receivedFor("www.example.net.", Type.A)).isZero();
  }

  private double loops(SkyDnsServer server) throws Exception {
    return metric(server, "skydns_skydns_forward_rejected_count_total{reason=\"loop\"}", 0);
  }

  private SkyDnsServer server(String prefix, String... flags) throws Exception {
    Path resolvConf = directory.resolve("resolv.conf");
    Files.writeString(resolvConf, "nameserver 127.0.0.1\n", StandardCharsets.US_ASCII);
    ServerConfigLoader loader = new ServerConfigLoader(Map.of(), resolvConf);
    List<String> arguments = new ArrayList<>(List.of("-machines", ETCD.etcd().endpoint().toString(),
        "-domain", "skydns.local.", "-path-prefix", prefix, "-health-addr", "127.0.0.1:0"));
    arguments.addAll(List.of(flags));
    ServerConfigLoader.Result parsed = loader.parse(arguments.toArray(String[]::new));
    assertThat(parsed).isInstanceOf(ServerConfigLoader.Start.class);
    ServerConfig config = loader.complete(((ServerConfigLoader.Start) parsed).bootstrap(), Optional.empty())
        .withListen(ListenConfig.defaults(new InetSocketAddress("127.0.0.1", 0)));
    Client client = EtcdClients.create(config.etcd());
    resources.add(client);
    SkyDnsServer server = SkyDnsServer.start(config, client);
    resources.add(server);
    assertThat(server.awaitReady(WAIT)).isTrue();
    return server;
  }

  private static SimpleResolver resolver(SkyDnsServer server, boolean tcp) {
    SimpleResolver resolver = new SimpleResolver(tcp ? server.tcpAddress() : server.udpAddress());
    resolver.setTCP(tcp);
    resolver.setTimeout(WAIT);
    resolver.setEDNS(-1);
    return resolver;
  }

  private static Message ask(SkyDnsServer server, String name, int type) throws IOException {
    return resolver(server, false).send(DnsCase.of("", name, type).query());
  }

  private void put(String key, String value) throws Exception {
    writer.getKVClient().put(bytes(key), bytes(value)).get(10, TimeUnit.SECONDS);
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }

  private double metric(SkyDnsServer server, String series) throws Exception {
    double value = metric(server, series, Double.NaN);
    assertThat(value).as("series %s", series).isNotNaN();
    return value;
  }

  private double metric(SkyDnsServer server, String series, double missing) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.healthAddress().orElseThrow().getPort() + "/metrics");
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher matcher = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
        .matcher(response.body());
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : missing;
  }
}
