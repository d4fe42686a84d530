package org.clusterdns.skydns.resolve.stub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterdns.records.EtcdPath;
import org.clusterdns.records.MalformedRecordException;
import org.clusterdns.records.ServiceRecord;
import org.clusterdns.skydns.backend.InMemoryIndex;
import org.clusterdns.skydns.backend.ServiceEntry;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Replies;
import org.clusterdns.skydns.resolve.Resolver;
import org.clusterdns.skydns.resolve.forward.ForwardEvents;
import org.clusterdns.skydns.resolve.forward.LoopMarker;
import org.clusterdns.skydns.resolve.forward.UpstreamExchanger;
import org.clusterdns.skydns.testing.DnsAssertions;
import org.clusterdns.skydns.testing.DnsCase;
import org.clusterdns.skydns.testing.TestNameserver;
import org.clusterdns.skydns.testing.TestNameserver.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Stub zones read from {@code stub.dns.<domain>} and the questions sent to their servers (spec 12). */
class StubResolverTest {
  /** Where the stub servers answer: never reached, so a reply late on a loaded machine is still heard. */
  private static final Duration ANSWERING = Duration.ofSeconds(2);
  /** Where they are silent: bounds the wait. */
  private static final Duration SILENT = Duration.ofMillis(300);
  private static final Duration QUESTION = Duration.ofSeconds(10);
  private static final String DOMAIN = "skydns.local.";
  private static final String STUB = "/skydns/local/skydns/dns/stub/";
  private static final String WWW = "www.example.org. 300 IN A 192.0.2.80";

  private final InMemoryIndex index = new InMemoryIndex(new EtcdPath("skydns"));
  private final StubZones zones = new StubZones(index, DOMAIN, new EtcdPath("skydns"), ANSWERING);
  private final AtomicInteger passedOn = new AtomicInteger();
  private final AtomicInteger loops = new AtomicInteger();
  private StubResolver step = step(zones, ANSWERING);
  private final TestNameserver exampleOrg = TestNameserver.start(WWW, "deep.sub.example.org. 300 IN A 192.0.2.81");
  private final TestNameserver subExampleOrg = TestNameserver.start("deep.sub.example.org. 300 IN A 192.0.2.99");

  @AfterEach
  void stop() {
    exampleOrg.close();
    subExampleOrg.close();
  }

  @Test
  void readsZonesAndServersFromTheStubDirectory() {
    put("org/example/ns1", server(exampleOrg));
    put("org/example/ns2", "{\"host\":\"192.0.2.53\"}");
    put("local/cluster/ns", "{\"host\":\"2001:db8::53\",\"port\":5353}");

    assertThat(zones.zones()).isEqualTo(Map.of(
        "example.org.", List.of(exampleOrg.address(), new InetSocketAddress("192.0.2.53", 53)),
        "cluster.local.", List.of(new InetSocketAddress("2001:db8::53", 5353))));
  }

  @Test
  void skipsServersThatCannotBeUsed() {
    put("org/example/byname", "{\"host\":\"ns.example.org\"}");
    put("nozone", server(exampleOrg));
    put("local/ns", server(exampleOrg)); // "local." is above skydns.local.
    put("local/skydns/ns", server(exampleOrg)); // the served domain itself
    put("org/example/bigport", "{\"host\":\"10.0.0.1\",\"port\":70000}");
    put("org/example/negative", "{\"host\":\"10.0.0.1\",\"port\":-1}");

    assertThat(zones.zones()).isEmpty();
    assertThat(zones.match("www.example.org.")).isEmpty();
  }

  @Test
  void sendsQuestionsInAZoneToItsServersWithTheLoopMarker() throws Exception {
    put("org/example/ns1", server(exampleOrg));

    Message reply = resolve(DnsCase.of("", "WWW.example.org.", Type.A).query());

    DnsAssertions.assertSection(reply, Section.ANSWER, List.of("WWW.example.org. 300 IN A 192.0.2.80"));
    Message sent = exampleOrg.received().get(0);
    assertThat(LoopMarker.isPresent(sent)).isTrue();
    List<EDNSOption> marker = sent.getOPT().getOptions(LoopMarker.CODE);
    // The option on the wire: code 65011, length 1, data 0x01.
    assertThat(marker.get(0).toWire()).containsExactly(0xFD, 0xF3, 0, 1, 1);
    assertThat(passedOn.get()).isZero();
  }

  @Test
  void theLongestMatchingZoneWins() throws Exception {
    put("org/example/ns1", server(exampleOrg));
    put("org/example/sub/ns1", server(subExampleOrg));

    Message reply = resolve(DnsCase.of("", "deep.sub.example.org.", Type.A).query());

    DnsAssertions.assertSection(reply, Section.ANSWER, List.of("deep.sub.example.org. 300 IN A 192.0.2.99"));
    assertThat(exampleOrg.received()).isEmpty();
  }

  @Test
  void otherNamesGoOnToTheNextStep() throws Exception {
    put("org/example/ns1", server(exampleOrg));

    resolve(DnsCase.of("", "example.com.", Type.A).query());
    resolve(DnsCase.of("", "notexample.org.", Type.A).query());

    assertThat(passedOn.get()).isEqualTo(2);
    assertThat(exampleOrg.received()).isEmpty();
  }

  @Test
  void theVersionChangesWithTheZonesAndTheirServersAndOnlyThen() {
    long empty = zones.version();
    index.put(ServiceEntry.of("/skydns/local/skydns/web", record("{\"host\":\"10.0.0.1\"}")));
    assertThat(zones.version()).as("a record outside the stub directory").isEqualTo(empty);

    put("org/example/ns1", server(exampleOrg));
    long oneZone = zones.version();
    assertThat(oneZone).as("a zone added").isNotEqualTo(empty);
    put("org/example/ns1", server(exampleOrg));
    put("org/example/byname", "{\"host\":\"ns.example.org\"}");
    assertThat(zones.version()).as("the same server written again, and one that is skipped").isEqualTo(oneZone);

    put("org/example/ns1", server(subExampleOrg));
    long otherServer = zones.version();
    assertThat(otherServer).as("the zone's server changed").isNotEqualTo(oneZone);
    index.remove(STUB + "org/example/ns1");
    assertThat(zones.version()).as("the zone removed").isNotEqualTo(otherServer);
  }

  @Test
  void followsChangesOfTheStubDirectory() throws Exception {
    put("org/example/ns1", server(exampleOrg));
    assertThat(resolve(DnsCase.of("", "www.example.org.", Type.A).query()).getRcode()).isEqualTo(Rcode.NOERROR);

    index.remove(STUB + "org/example/ns1");
    resolve(DnsCase.of("", "www.example.org.", Type.A).query());

    assertThat(passedOn.get()).isEqualTo(1);
    assertThat(exampleOrg.received()).hasSize(1);
  }

  @Test
  void aQueryThatAlreadyCarriesTheMarkerIsRefused() throws Exception {
    put("org/example/ns1", server(exampleOrg));
    Message query = DnsCase.of("", "www.example.org.", Type.A).query();
    query.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new GenericEDNSOption(LoopMarker.CODE, new byte[] {1}))),
        Section.ADDITIONAL);

    Message reply = resolve(query);

    assertThat(reply.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(exampleOrg.received()).isEmpty();
    assertThat(loops.get()).isEqualTo(1);
  }

  @Test
  void answersServfailWhenNoServerOfTheZoneAnswers() throws Exception {
    put("org/example/ns1", server(exampleOrg));
    exampleOrg.behave(Behaviour.SILENT);
    step = step(new StubZones(index, DOMAIN, new EtcdPath("skydns"), SILENT), SILENT);

    assertThat(resolve(DnsCase.of("", "www.example.org.", Type.A).query()).getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  private StubResolver step(StubZones stubZones, Duration readTimeout) {
    return new StubResolver(stubZones, new UpstreamExchanger(10, readTimeout, QUESTION, ForwardEvents.NONE),
        new ForwardEvents() {
          @Override
          public void loopRefused() {
            loops.incrementAndGet();
          }
        });
  }

  private void put(String path, String json) {
    index.put(ServiceEntry.of(STUB + path, record(json)));
  }

  private static ServiceRecord record(String json) {
    try {
      return ServiceRecord.fromJson(json.getBytes(StandardCharsets.UTF_8));
    } catch (MalformedRecordException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String server(TestNameserver server) {
    return "{\"host\":\"127.0.0.1\",\"port\":" + server.address().getPort() + "}";
  }

  private Message resolve(Message query) throws Exception {
    Resolver.Next next = request -> {
      passedOn.incrementAndGet();
      return CompletableFuture.completedFuture(Replies.reply(request.query()));
    };
    return step.resolve(new DnsRequest(query, new InetSocketAddress("127.0.0.1", 5300),
        false, System.nanoTime()), next).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
