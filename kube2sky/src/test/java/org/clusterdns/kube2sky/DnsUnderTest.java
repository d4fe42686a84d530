package org.clusterdns.kube2sky;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.clusterdns.etcd.EtcdClients;
import org.clusterdns.skydns.SkyDnsServer;
import org.clusterdns.skydns.config.ListenConfig;
import org.clusterdns.skydns.config.ServerConfig;
import org.clusterdns.skydns.config.ServerConfigLoader;
import org.clusterdns.skydns.testing.Dig;
import org.clusterdns.skydns.testing.DnsAssertions;
import org.clusterdns.skydns.testing.DnsCase;
import org.clusterdns.skydns.testing.TestNameserver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * An in-process skydns-server for {@code cluster.local.} on 127.0.0.1 port 0, reading the records
 * kube2sky writes to a real etcd, and the checks the end-to-end tests make on its answers: with
 * dnsjava over UDP and TCP and, where it is installed, with {@code dig} over UDP and TCP.
 *
 * <p>Its only upstream nameserver is a test nameserver that knows no names (NXDOMAIN for all), so
 * nothing here depends on the machine's resolvers; reverse names without a record and ExternalName
 * targets are asked there, and {@link #assertNoClusterNameForwarded()} tells whether a question for
 * the cluster domain ever left the server.
 */
final class DnsUnderTest implements AutoCloseable {
  /** The cluster domain. */
  static final String DOMAIN = "cluster.local.";
  /**
   * How long a change may take from the API server to a DNS answer before a test fails. It takes
   * tens of milliseconds (the kube2sky benchmark measures it); the bound is wide because CI
   * machines are shared and a test must fail for a change that is lost, not for one that is slow.
   */
  static final Duration PROPAGATION = Duration.ofSeconds(15);

  private final TestNameserver upstream;
  private final Client etcd;
  private final SkyDnsServer server;

  private DnsUnderTest(TestNameserver upstream, Client etcd, SkyDnsServer server) {
    this.upstream = upstream;
    this.etcd = etcd;
    this.server = server;
  }

  /** Starts a server on etcd at {@code etcdEndpoint}, prefix {@code skydns}, and waits for its first load. */
  static DnsUnderTest start(URI etcdEndpoint, Path scratch) throws IOException, InterruptedException {
    TestNameserver upstream = TestNameserver.start();
    Path resolvConf = scratch.resolve("resolv.conf");
    Files.writeString(resolvConf, "nameserver 127.0.0.1\n", StandardCharsets.US_ASCII);
    ServerConfigLoader loader = new ServerConfigLoader(Map.of(), resolvConf);
    ServerConfigLoader.Result parsed = loader.parse("-machines", etcdEndpoint.toString(), "-domain", DOMAIN,
        "-nameservers", upstream.hostPort(),
        "-health-addr", "127.0.0.1:0", "-round-robin=false");
    ServerConfig flags = loader.complete(((ServerConfigLoader.Start) parsed).bootstrap(), Optional.empty());
    ServerConfig config = flags.withListen(ListenConfig.defaults(new InetSocketAddress("127.0.0.1", 0)));
    Client etcd = EtcdClients.create(config.etcd());
    SkyDnsServer server = SkyDnsServer.start(config, etcd);
    assertThat(server.awaitReady(Duration.ofSeconds(10))).as("skydns-server's first load from etcd").isTrue();
    return new DnsUnderTest(upstream, etcd, server);
  }

  /** Returns a reply from dnsjava without EDNS, so that replies hold no OPT and sections compare whole. */
  Message ask(String name, int type, boolean tcp) throws IOException {
    return ask(DnsCase.of(name, name, type), tcp);
  }

  private Message ask(DnsCase question, boolean tcp) throws IOException {
    return resolver(tcp).send(question.query());
  }

  /** Returns a dnsjava resolver for the server; UDP replies that are truncated stay truncated. */
  SimpleResolver resolver(boolean tcp) {
    SimpleResolver resolver = new SimpleResolver(tcp ? server.tcpAddress() : server.udpAddress());
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(5));
    resolver.setEDNS(-1);
    resolver.setIgnoreTruncation(true);
    return resolver;
  }

  /**
   * Waits until dnsjava over UDP gets the reply {@code expected} describes, then checks that
   * dnsjava over TCP and dig over UDP and TCP get it too.
   */
  void awaitAnswer(DnsCase expected) {
    await(expected.name()).atMost(PROPAGATION).pollInterval(Duration.ofMillis(25)).ignoreExceptions()
        .untilAsserted(() -> DnsAssertions.assertMatches(ask(expected, false), expected));
    assertEverywhere(reply -> DnsAssertions.assertMatches(reply, expected), expected.qname(), expected.qtype());
  }

  /**
   * Waits until {@code name} is NXDOMAIN for {@code type} (no answer, the domain's SOA in the
   * authority section), over every client and transport.
   */
  void awaitNxdomain(String name, int type) {
    await(name + " NXDOMAIN").atMost(PROPAGATION).pollInterval(Duration.ofMillis(25)).ignoreExceptions()
        .untilAsserted(() -> assertNegative(ask(name, type, false), Rcode.NXDOMAIN));
    assertEverywhere(reply -> assertNegative(reply, Rcode.NXDOMAIN), name, type);
  }

  /** Waits until {@code name} exists but has no {@code type} records (NODATA), over every client and transport. */
  void awaitNoData(String name, int type) {
    await(name + " NODATA").atMost(PROPAGATION).pollInterval(Duration.ofMillis(25)).ignoreExceptions()
        .untilAsserted(() -> assertNegative(ask(name, type, false), Rcode.NOERROR));
    assertEverywhere(reply -> assertNegative(reply, Rcode.NOERROR), name, type);
  }

  /** Waits until the PTR of {@code ip} answers {@code target}; dig asks as {@code dig -x}. */
  void awaitPtr(String ip, String target) throws IOException {
    String name = ReverseMap.fromAddress(ip).toString();
    // SkyDNS answers PTR without AA.
    DnsCase expected = DnsCase.of("PTR of " + ip, name, Type.PTR).aa(false)
        .answer(name + " 30 IN PTR " + target);
    awaitAnswer(expected);
    if (Dig.available()) {
      DnsAssertions.assertMatches(DigReverse.ask(server.udpAddress(), ip), expected);
    }
  }

  /** Waits until the PTR of {@code ip} no longer answers (the server has no record there). */
  void awaitNoPtr(String ip) throws IOException {
    String name = ReverseMap.fromAddress(ip).toString();
    await("no PTR for " + ip).atMost(PROPAGATION).pollInterval(Duration.ofMillis(25)).ignoreExceptions()
        .untilAsserted(() -> assertThat(ask(name, Type.PTR, false).getSection(Section.ANSWER))
            .as("PTR answer for %s", ip).isEmpty());
  }

  /** Returns the upstream nameserver, to give it records. */
  TestNameserver upstream() {
    return upstream;
  }

  /** Fails if a question for a name in the cluster domain was forwarded to the upstream nameserver. */
  void assertNoClusterNameForwarded() {
    assertThat(upstream.received())
        .as("questions forwarded upstream")
        .noneMatch(query -> query.getQuestion().getName().toString().toLowerCase(Locale.ROOT)
            .endsWith("." + DOMAIN));
  }

  private void assertEverywhere(ReplyCheck check, String name, int type) {
    try {
      check.accept(ask(name, type, true));
    } catch (IOException e) {
      throw new UncheckedIOException("TCP question for " + name, e);
    }
    if (Dig.available()) {
      check.accept(Dig.ask(server.udpAddress(), name, type, false));
      check.accept(Dig.ask(server.tcpAddress(), name, type, true));
    }
  }

  private static void assertNegative(Message reply, int rcode) {
    String context = reply.toString();
    assertThat(Rcode.string(reply.getRcode())).as("rcode of %s", context).isEqualTo(Rcode.string(rcode));
    assertThat(reply.getHeader().getFlag(Flags.AA)).as("AA of %s", context).isTrue();
    assertThat(reply.getSection(Section.ANSWER)).as("answer of %s", context).isEmpty();
    assertThat(reply.getSection(Section.AUTHORITY)).as("authority of %s", context).singleElement()
        .satisfies(record -> {
          assertThat(record).isInstanceOf(SOARecord.class);
          assertThat(record.getName()).isEqualTo(Name.fromConstantString(DOMAIN));
        });
  }

  /** Returns the addresses of the A and AAAA records in the answer section. */
  static java.util.List<String> addresses(Message reply) {
    return reply.getSection(Section.ANSWER).stream()
        .filter(record -> record.getType() == Type.A || record.getType() == Type.AAAA)
        .map(Record::rdataToString)
        .toList();
  }

  @Override
  public void close() throws IOException {
    server.close();
    etcd.close();
    upstream.close();
  }

  /** A check of one reply. */
  @FunctionalInterface
  private interface ReplyCheck {
    void accept(Message reply);
  }
}
