package org.clusterdns.skydns.resolve.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Replies;
import org.clusterdns.skydns.resolve.Resolver;
import org.clusterdns.skydns.testing.DnsAssertions;
import org.clusterdns.skydns.testing.DnsCase;
import org.clusterdns.skydns.testing.TestNameserver;
import org.clusterdns.skydns.testing.TestNameserver.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Completing authoritative address answers whose alias leaves the domain (spec 11.4). */
class ExternalAliasesTest {
  /** Where the nameservers answer: never reached, so a reply late on a loaded machine is still heard. */
  private static final Duration ANSWERING = Duration.ofSeconds(2);
  /** Where they are silent: bounds the wait. */
  private static final Duration SILENT = Duration.ofMillis(300);
  private static final Duration QUESTION = Duration.ofSeconds(10);
  private static final String EXT = "ext.shop.svc.cluster.local.";
  private static final String CNAME = EXT + " 30 IN CNAME www.example.com.";

  private final TestNameserver upstream = TestNameserver.start(
      "www.example.com. 300 IN CNAME edge.example.net.",
      "edge.example.net. 20 IN A 192.0.2.7",
      "www.example.com. 300 IN AAAA 2001:db8::7");
  private ExternalAliases step = step(ANSWERING);

  @AfterEach
  void stop() {
    upstream.close();
  }

  @Test
  void appendsWhatTheNameserversAnswerForAnOutsideTarget() throws Exception {
    Message reply = resolve(DnsCase.of("", EXT, Type.A), authoritative(CNAME));

    // Upstream TTLs are kept, capped at rcache_ttl (60 s): 300 becomes 60, 20 stays.
    DnsAssertions.assertSection(reply, Section.ANSWER, List.of(CNAME,
        "www.example.com. 60 IN CNAME edge.example.net.", "edge.example.net. 20 IN A 192.0.2.7"));
    assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(upstream.receivedFor("www.example.com.", Type.A)).isEqualTo(1);
  }

  @Test
  void appendsOnlyTheChainFromTheTarget() throws Exception {
    upstream.replyBytes(query -> {
      Message reply = Replies.reply(query);
      reply.getHeader().setFlag(Flags.RA);
      for (Record record : DnsAssertions.parse(List.of("www.example.com. 300 IN CNAME edge.example.net.",
          "edge.example.net. 20 IN A 192.0.2.7", "bank.example.com. 300 IN A 203.0.113.66",
          "ext.shop.svc.cluster.local. 300 IN A 203.0.113.67"))) {
        reply.addRecord(record, Section.ANSWER);
      }
      return reply.toWire();
    });

    Message reply = resolve(DnsCase.of("", EXT, Type.A), authoritative(CNAME));

    DnsAssertions.assertSection(reply, Section.ANSWER, List.of(CNAME,
        "www.example.com. 60 IN CNAME edge.example.net.", "edge.example.net. 20 IN A 192.0.2.7"));
  }

  @Test
  void asksForTheQuestionsType() throws Exception {
    Message reply = resolve(DnsCase.of("", EXT, Type.AAAA), authoritative(CNAME));

    DnsAssertions.assertSection(reply, Section.ANSWER, List.of(CNAME, "www.example.com. 60 IN AAAA 2001:db8::7"));
  }

  @Test
  void keepsTheLoneCnameWhenTheNameserversFail() throws Exception {
    upstream.behave(Behaviour.SILENT);
    step = step(SILENT);

    Message reply = resolve(DnsCase.of("", EXT, Type.A), authoritative(CNAME));

    DnsAssertions.assertSection(reply, Section.ANSWER, List.of(CNAME));
  }

  @Test
  void keepsTheLoneCnameWhenTheTargetDoesNotExist() throws Exception {
    String dangling = EXT + " 30 IN CNAME missing.example.com.";

    Message reply = resolve(DnsCase.of("", EXT, Type.A), authoritative(dangling));

    DnsAssertions.assertSection(reply, Section.ANSWER, List.of(dangling));
    assertThat(reply.getRcode()).isZero();
  }

  @Test
  void leavesTargetsInsideTheDomainAndOtherRepliesAlone() throws Exception {
    String inside = EXT + " 30 IN CNAME gone.shop.svc.cluster.local.";
    resolve(DnsCase.of("", EXT, Type.A), authoritative(inside));
    resolve(DnsCase.of("", EXT, Type.CNAME), authoritative(CNAME));
    resolve(DnsCase.of("", EXT, Type.A), authoritative(CNAME, "www.example.com. 30 IN A 192.0.2.9"));
    Message forwarded = authoritative(CNAME);
    forwarded.getHeader().unsetFlag(Flags.AA);
    resolve(DnsCase.of("", EXT, Type.A), forwarded);

    assertThat(upstream.received()).as("nothing asked upstream").isEmpty();
  }

  private ExternalAliases step(Duration readTimeout) {
    Forwarder forwarder = new Forwarder(
        new UpstreamGroup("nameservers", List.of(upstream.address()), readTimeout, false, false),
        new UpstreamExchanger(10, readTimeout, QUESTION, ForwardEvents.NONE), false, 2, ForwardEvents.NONE);
    return new ExternalAliases(forwarder, Name.fromConstantString("cluster.local."), Duration.ofSeconds(60));
  }

  private static Message authoritative(String... answer) {
    Message reply = Replies.reply(DnsCase.of("", EXT, Type.A).query());
    reply.getHeader().setFlag(Flags.AA);
    for (Record record : DnsAssertions.parse(List.of(answer))) {
      reply.addRecord(record, Section.ANSWER);
    }
    return reply;
  }

  private Message resolve(DnsCase question, Message authoritativeReply) throws Exception {
    DnsRequest request = question.request();
    Resolver.Next next = asked -> CompletableFuture.completedFuture(authoritativeReply);
    return step.resolve(request, next).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
