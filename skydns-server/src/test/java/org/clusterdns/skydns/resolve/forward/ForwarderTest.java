package org.clusterdns.skydns.resolve.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Resolver;
import org.clusterdns.skydns.testing.DnsAssertions;
import org.clusterdns.skydns.testing.DnsCase;
import org.clusterdns.skydns.testing.TestNameserver;
import org.clusterdns.skydns.testing.TestNameserver.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The forwarding step against real nameservers on loopback (spec 11.1, 11.3 and the issue's
 * rules): relaying, refusing, failover, rotation, health, TCP after truncation, coalescing, the
 * outstanding cap and the loop marker.
 */
class ForwarderTest {
  /**
   * The read timeout where every server asked is meant to answer: never reached on a working
   * path, so a reply delayed by a loaded machine (a cold I/O thread, a GC pause) cannot turn an
   * answer into a timeout. The production default.
   */
  private static final Duration ANSWERING = Duration.ofSeconds(2);
  /** The read timeout where only silent servers are waited for: it bounds how long the test takes. */
  private static final Duration SILENT = Duration.ofMillis(300);
  /** How long all attempts for one question may take: never the limit that ends a test's question. */
  private static final Duration QUESTION = Duration.ofSeconds(10);
  /** How long a test waits for a reply: beyond {@link #QUESTION}, so the forwarder always answers first. */
  private static final long WAIT_SECONDS = 30;
  private static final String WWW = "www.example.org. 300 IN A 192.0.2.80";
  private static final Resolver.Next UNREACHABLE = request -> {
    throw new AssertionError("the forwarder is the last step and never calls next");
  };

  private final List<TestNameserver> servers = new ArrayList<>();
  private final CountingEvents events = new CountingEvents();

  @AfterEach
  void stopServers() {
    servers.forEach(TestNameserver::close);
  }

  @Test
  void relaysTheUpstreamAnswerWithTheClientsIdQuestionAndFlags() throws Exception {
    TestNameserver upstream = server(WWW);
    Forwarder forwarder = forwarder(false, 2, false, upstream);
    Message query = DnsCase.of("", "WWW.Example.org.", Type.A).query();
    query.getHeader().setID(4242);

    Message reply = resolve(forwarder, query);

    assertThat(reply.getHeader().getID()).isEqualTo(4242);
    assertThat(reply.getQuestion().getName().toString()).isEqualTo("WWW.Example.org.");
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getHeader().getFlag(Flags.RA)).isTrue();
    assertThat(reply.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(reply.getHeader().getFlag(Flags.AA)).isFalse();
    // The upstream compressed its answer's owner against the question, which was sent as the client spelled it.
    DnsAssertions.assertSection(reply, Section.ANSWER, List.of("WWW.Example.org. 300 IN A 192.0.2.80"));
    assertThat(reply.getOPT()).as("the upstream's OPT is not relayed").isNull();
    assertThat(upstream.receivedFor("www.example.org.", Type.A)).isEqualTo(1);
  }

  @Test
  void relaysNxdomainAsTheUpstreamSaidIt() throws Exception {
    Forwarder forwarder = forwarder(false, 2, false, server(WWW));

    Message reply = resolve(forwarder, DnsCase.of("", "missing.example.org.", Type.A).query());

    assertThat(reply.getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void sendsItsOwnQueryUpstreamWithTheClientsDnssecBitButNotItsOptions() throws Exception {
    TestNameserver upstream = server(WWW);
    Forwarder forwarder = forwarder(false, 2, false, upstream);
    Message query = DnsCase.of("", "www.example.org.", Type.A).query();
    query.getHeader().setID(7);
    query.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO,
        List.of(new ClientSubnetOption(24, java.net.InetAddress.getByName("198.51.100.0")))), Section.ADDITIONAL);

    resolve(forwarder, query);

    Message sent = upstream.received().get(0);
    assertThat(sent.getOPT()).isNotNull();
    assertThat(sent.getOPT().getPayloadSize()).isEqualTo(UpstreamExchanger.PAYLOAD_SIZE);
    assertThat(sent.getOPT().getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
    assertThat(sent.getOPT().getOptions()).as("the client's subnet is not passed on").isEmpty();
    assertThat(sent.getHeader().getFlag(Flags.RD)).isTrue();
  }

  @Test
  void relaysAdOnlyToClientsThatAskedForDnssec() throws Exception {
    TestNameserver upstream = server(WWW);
    Forwarder forwarder = forwarder(false, 2, false, upstream);
    Message upstreamReply = DnsCase.of("", "www.example.org.", Type.A).query();
    upstreamReply.getHeader().setFlag(Flags.AD);
    DnsRequest plain = request(DnsCase.of("", "www.example.org.", Type.A).query());
    Message withDo = DnsCase.of("", "www.example.org.", Type.A).query();
    withDo.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);

    assertThat(UpstreamReplies.relay(plain, upstreamReply).getHeader().getFlag(Flags.AD)).isFalse();
    assertThat(UpstreamReplies.relay(request(withDo), upstreamReply).getHeader().getFlag(Flags.AD)).isTrue();
  }

  @Test
  void noRecRefusesWithoutAskingAnyone() throws Exception {
    TestNameserver upstream = server(WWW);
    Forwarder forwarder = forwarder(true, 2, false, upstream);

    Message reply = resolve(forwarder, DnsCase.of("", "www.example.org.", Type.A).query());

    assertThat(reply.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(reply.getHeader().getFlag(Flags.RA)).isFalse();
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void namesWithFewerLabelsThanNdotsFailWithoutAskingAnyone() throws Exception {
    TestNameserver upstream = server("org. 300 IN A 192.0.2.1");
    Forwarder forwarder = forwarder(false, 2, false, upstream);

    Message reply = resolve(forwarder, DnsCase.of("", "org.", Type.A).query());

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(reply.getHeader().getFlag(Flags.RA)).isTrue();
    assertThat(upstream.received()).isEmpty();
    assertThat(resolve(forwarder(false, 1, false, upstream), DnsCase.of("", "org.", Type.A).query()).getRcode())
        .as("with ndots 1").isEqualTo(Rcode.NOERROR);
  }

  @Test
  void withoutNameserversEveryQuestionFails() throws Exception {
    Forwarder forwarder = forwarder(false, 2, false);

    assertThat(resolve(forwarder, DnsCase.of("", "www.example.org.", Type.A).query()).getRcode())
        .isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void failsOverFromAServerThatNeverAnswers() throws Exception {
    TestNameserver silent = server().behave(Behaviour.SILENT);
    TestNameserver good = server(WWW);
    // The good server's reply must come within the same read timeout as the silent one's.
    Forwarder forwarder = forwarder(ANSWERING, false, 2, false, silent, good);

    Message reply = resolve(forwarder, DnsCase.of("", "www.example.org.", Type.A).query());

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(silent.received()).hasSize(1);
    assertThat(events.results).contains(UpstreamResult.TIMEOUT, UpstreamResult.ANSWERED);
  }

  @Test
  void failsOverFromASlowServer() throws Exception {
    TestNameserver slow = server(WWW).behave(Behaviour.SLOW).delay(ANSWERING.multipliedBy(3));
    TestNameserver good = server(WWW);
    Forwarder forwarder = forwarder(ANSWERING, false, 2, false, slow, good);

    Message reply = resolve(forwarder, DnsCase.of("", "www.example.org.", Type.A).query());

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(good.received()).hasSize(1);
  }

  @Test
  void failsOverFromServfailAndRefused() throws Exception {
    TestNameserver failing = server().behave(Behaviour.SERVFAIL);
    TestNameserver refusing = server().behave(Behaviour.REFUSED);
    TestNameserver good = server(WWW);
    Forwarder forwarder = forwarder(false, 2, false, failing, refusing, good);

    Message reply = resolve(forwarder, DnsCase.of("", "www.example.org.", Type.A).query());

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(events.results).containsExactly(UpstreamResult.SERVFAIL, UpstreamResult.REFUSED,
        UpstreamResult.ANSWERED);
  }

  @Test
  void answersServfailPromptlyWhenEveryServerFails() throws Exception {
    TestNameserver silent = server().behave(Behaviour.SILENT);
    TestNameserver alsoSilent = server().behave(Behaviour.SILENT);
    TestNameserver failing = server().behave(Behaviour.SERVFAIL);
    // Nobody answers: short read timeouts keep the wait short, and nothing depends on a reply's speed.
    Forwarder forwarder = forwarder(SILENT, false, 2, false, failing, silent, alsoSilent);

    Message reply = resolve(forwarder, DnsCase.of("", "www.example.org.", Type.A).query());

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(reply.getHeader().getFlag(Flags.RA)).isTrue();
    assertThat(failing.received()).hasSize(1);
    assertThat(silent.received()).as("one attempt per server").hasSize(1);
    assertThat(alsoSilent.received()).as("one attempt per server").hasSize(1);
  }

  @Test
  void retriesOverTcpWhenTheUdpReplyIsTruncated() throws Exception {
    TestNameserver truncating = server(WWW).behave(Behaviour.TRUNCATE);
    Forwarder forwarder = forwarder(false, 2, false, truncating);

    Message reply = resolve(forwarder, DnsCase.of("", "www.example.org.", Type.A).query());

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
    DnsAssertions.assertSection(reply, Section.ANSWER, List.of(WWW));
    assertThat(truncating.tcpQueries()).isEqualTo(1);
  }

  @Test
  void withoutRotationAlwaysAsksTheFirstServer() throws Exception {
    TestNameserver first = server(WWW);
    TestNameserver second = server(WWW);
    Forwarder forwarder = forwarder(false, 2, false, first, second);

    for (int i = 0; i < 4; i++) {
      resolve(forwarder, DnsCase.of("", "www.example.org.", Type.A).query());
    }

    assertThat(first.received()).hasSize(4);
    assertThat(second.received()).isEmpty();
  }

  @Test
  void withRotationSpreadsQuestionsOverTheServers() throws Exception {
    TestNameserver first = server(WWW);
    TestNameserver second = server(WWW);
    Forwarder forwarder = forwarder(false, 2, true, first, second);

    for (int i = 0; i < 4; i++) {
      resolve(forwarder, DnsCase.of("", "www.example.org.", Type.A).query());
    }

    assertThat(first.received()).hasSize(2);
    assertThat(second.received()).hasSize(2);
  }

  @Test
  void aServerThatKeepsFailingIsAskedLastUntilItAnswersAgain() throws Exception {
    TestNameserver flaky = server(WWW).behave(Behaviour.SILENT);
    TestNameserver good = server(WWW);
    // The servers' health lives in the group, shared by two forwarders. One whose questions end
    // with the first read timeout asks only the flaky server, and waits only for its silence; the
    // other has timeouts long enough that every server that answers is heard.
    UpstreamGroup group = group(ANSWERING, false, flaky, good);
    Forwarder demoting = new Forwarder(group, new UpstreamExchanger(100, SILENT, SILENT, events), false, 2, events);
    Forwarder forwarder = new Forwarder(group, exchanger(ANSWERING), false, 2, events);

    for (int i = 0; i < Upstream.FAILING_AFTER; i++) {
      resolve(demoting, DnsCase.of("", "www.example.org.", Type.A).query());
    }
    assertThat(flaky.received()).hasSize(Upstream.FAILING_AFTER);
    resolve(forwarder, DnsCase.of("", "www.example.org.", Type.A).query());
    assertThat(flaky.received()).as("not asked while the good server answers").hasSize(Upstream.FAILING_AFTER);

    // Once the good server fails, the flaky one is asked, answers, and is first again.
    flaky.behave(Behaviour.ANSWER);
    good.behave(Behaviour.REFUSED);
    resolve(forwarder, DnsCase.of("", "www.example.org.", Type.A).query());
    good.behave(Behaviour.ANSWER);
    int goodBefore = good.received().size();
    resolve(forwarder, DnsCase.of("", "www.example.org.", Type.A).query());
    assertThat(good.received()).as("the recovered server is asked first again").hasSize(goodBefore);
  }

  @Test
  void identicalQuestionsInFlightAreSentOnce() throws Exception {
    // The upstream holds its reply until every question is asked: all 20 are in flight together.
    TestNameserver held = server(WWW).behave(Behaviour.HELD);
    Forwarder forwarder = forwarder(false, 2, false, held);
    List<CompletableFuture<Message>> replies = new ArrayList<>();

    for (int i = 0; i < 20; i++) {
      String spelling = i % 2 == 0 ? "www.example.org." : "WWW.EXAMPLE.ORG.";
      replies.add(forwarder.resolve(request(DnsCase.of("", spelling, Type.A).query()), UNREACHABLE)
          .toCompletableFuture());
    }
    held.release();

    for (CompletableFuture<Message> reply : replies) {
      assertThat(reply.get(WAIT_SECONDS, TimeUnit.SECONDS).getRcode()).isEqualTo(Rcode.NOERROR);
    }
    assertThat(held.received()).hasSize(1);
    assertThat(replies.get(1).get().getQuestion().getName().toString()).isEqualTo("WWW.EXAMPLE.ORG.");
  }

  @Test
  void questionsBeyondTheOutstandingCapFailAtOnce() throws Exception {
    TestNameserver silent = server().behave(Behaviour.SILENT);
    // Both the exchanger's and dnsjava's own timeouts far off: the first two stay in flight.
    UpstreamExchanger exchanger = new UpstreamExchanger(2, QUESTION, QUESTION, events);
    Forwarder forwarder = new Forwarder(group(QUESTION, false, silent), exchanger, false, 2, events);

    CompletableFuture<Message> first = ask(forwarder, "a.example.org.");
    CompletableFuture<Message> second = ask(forwarder, "b.example.org.");
    CompletableFuture<Message> third = ask(forwarder, "c.example.org.");

    assertThat(third).as("over the cap: answered without waiting").isCompleted();
    assertThat(third.get().getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(events.capReached.get()).isEqualTo(1);
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
    assertThat(exchanger.outstanding()).isEqualTo(2);
  }

  @Test
  void theCapIsFreedWhenQuestionsEnd() throws Exception {
    TestNameserver upstream = server(WWW);
    UpstreamExchanger exchanger = new UpstreamExchanger(1, ANSWERING, QUESTION, events);
    Forwarder forwarder = new Forwarder(group(ANSWERING, false, upstream), exchanger, false, 2, events);

    for (int i = 0; i < 3; i++) {
      assertThat(resolve(forwarder, DnsCase.of("", "www.example.org.", Type.A).query()).getRcode())
          .isEqualTo(Rcode.NOERROR);
    }
    assertThat(exchanger.outstanding()).isZero();
  }

  @Test
  void zoneTransfersAreRefusedAndNeverForwarded() throws Exception {
    TestNameserver upstream = server(WWW);
    Forwarder forwarder = forwarder(false, 2, false, upstream);

    // dnsjava would run the transfer as a blocking call on the event loop, and pull a whole zone.
    for (int type : new int[] {Type.AXFR, Type.IXFR}) {
      Message reply = resolve(forwarder, DnsCase.of("", "example.org.", type).query());
      assertThat(reply.getRcode()).isEqualTo(Rcode.REFUSED);
    }
    assertThat(forwarder.lookup(UpstreamQuestion.recursive(org.xbill.DNS.Name.fromString("example.org."),
        Type.AXFR, false))).isCompletedExceptionally();
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void aQueryCarryingTheLoopMarkerIsRefusedAndNotForwarded() throws Exception {
    TestNameserver upstream = server(WWW);
    Forwarder forwarder = forwarder(false, 2, false, upstream);
    Message query = DnsCase.of("", "www.example.org.", Type.A).query();
    query.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(LoopMarker.option())), Section.ADDITIONAL);

    Message reply = resolve(forwarder, query);

    assertThat(reply.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(upstream.received()).isEmpty();
    assertThat(events.loops.get()).isEqualTo(1);
  }

  @Test
  void lookupsOnTheServersOwnBehalfIgnoreNoRecButKeepNdots() throws Exception {
    TestNameserver upstream = server(WWW);
    Forwarder forwarder = forwarder(true, 2, false, upstream);

    Message answer = forwarder.lookup(UpstreamQuestion.recursive(org.xbill.DNS.Name.fromString("www.example.org."),
        Type.A, false)).get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(forwarder.lookup(UpstreamQuestion.recursive(org.xbill.DNS.Name.fromString("org."), Type.A, false)))
        .isCompletedExceptionally();
  }

  private TestNameserver server(String... records) {
    TestNameserver server = TestNameserver.start(records);
    servers.add(server);
    return server;
  }

  private static UpstreamGroup group(Duration readTimeout, boolean rotate, TestNameserver... upstreams) {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (TestNameserver upstream : upstreams) {
      addresses.add(upstream.address());
    }
    return new UpstreamGroup("nameservers", addresses, readTimeout, rotate, false);
  }

  private UpstreamExchanger exchanger(Duration readTimeout) {
    return new UpstreamExchanger(100, readTimeout, QUESTION, events);
  }

  /** Returns a forwarder for servers that all answer. */
  private Forwarder forwarder(boolean noRec, int ndots, boolean rotate, TestNameserver... upstreams) {
    return forwarder(ANSWERING, noRec, ndots, rotate, upstreams);
  }

  private Forwarder forwarder(Duration readTimeout, boolean noRec, int ndots, boolean rotate,
      TestNameserver... upstreams) {
    return new Forwarder(group(readTimeout, rotate, upstreams), exchanger(readTimeout), noRec, ndots, events);
  }

  private static CompletableFuture<Message> ask(Forwarder forwarder, String name) {
    return forwarder.resolve(request(DnsCase.of("", name, Type.A).query()), UNREACHABLE).toCompletableFuture();
  }

  private static Message resolve(Resolver step, Message query) throws Exception {
    return step.resolve(request(query), UNREACHABLE).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  static DnsRequest request(Message query) {
    return new DnsRequest(query, new InetSocketAddress("127.0.0.1", 53000), false, System.nanoTime());
  }

  /** Counts what the exchanger and the forwarder report. */
  private static final class CountingEvents implements ForwardEvents {
    final List<UpstreamResult> results = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicInteger capReached = new AtomicInteger();
    final AtomicInteger loops = new AtomicInteger();

    @Override
    public void upstreamExchange(InetSocketAddress server, UpstreamResult result, long nanos) {
      results.add(result);
    }

    @Override
    public void outstandingCapReached() {
      capReached.incrementAndGet();
    }

    @Override
    public void loopRefused() {
      loops.incrementAndGet();
    }
  }
}
