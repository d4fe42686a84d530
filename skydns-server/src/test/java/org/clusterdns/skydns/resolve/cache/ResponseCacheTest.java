package org.clusterdns.skydns.resolve.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Replies;
import org.clusterdns.skydns.resolve.Resolver;
import org.clusterdns.skydns.testing.DnsAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ResponseCacheTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 5300);
  private static final long SECOND = 1_000_000_000L;
  private static final String DOMAIN = "cluster.local.";
  private static final String SOA_300_MIN_20 =
      "cluster.local. 300 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 20";

  private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
  private final AtomicLong generation = new AtomicLong(1);
  private final AtomicLong routing = new AtomicLong(1);
  private final AtomicInteger misses = new AtomicInteger();
  private final AtomicInteger calls = new AtomicInteger();
  /** What the rest of the chain answers; by default one A record with TTL 30 at the question name. */
  private Function<DnsRequest, Message> upstream = request -> reply(request, Rcode.NOERROR,
      List.of(owner(request) + " 30 IN A 10.0.0.1"), List.of(), List.of());
  private ResponseCache cache = cache(100, false);

  private final Resolver.Next next = request -> {
    calls.incrementAndGet();
    return CompletableFuture.completedFuture(upstream.apply(request));
  };

  private ResponseCache cache(int capacity, boolean roundRobin) {
    return new ResponseCache(new ResponseCacheConfig(capacity, Duration.ofSeconds(60), DOMAIN, roundRobin),
        generation::get, routing::get, clock::get, new Random(7), misses::incrementAndGet);
  }

  private Message ask(Message query) {
    return ask(query, false);
  }

  private Message ask(Message query, boolean tcp) {
    return cache.resolve(new DnsRequest(query, CLIENT, tcp, 0), next).toCompletableFuture().join();
  }

  private void advance(double seconds) {
    clock.addAndGet((long) (seconds * SECOND));
  }

  @Test
  void aRepeatedQuestionIsAnsweredFromTheCacheAndOnlyMissesAreCounted() {
    Message first = ask(query("www.example.com.", Type.A));
    Message second = ask(query("www.example.com.", Type.A));

    assertThat(calls).hasValue(1);
    assertThat(misses).hasValue(1);
    assertThat(second.getSection(Section.ANSWER)).isEqualTo(first.getSection(Section.ANSWER));
    assertThat(second.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(second.getHeader().getFlag(Flags.QR)).isTrue();
  }

  @Test
  void theKeyIgnoresCaseAndTheReplyCarriesTheClientsIdFlagsAndCase() {
    ask(query("www.example.com.", Type.A));
    Message second = query("WWW.Example.COM.", Type.A);
    second.getHeader().setID(777);

    Message reply = ask(second);

    assertThat(calls).hasValue(1);
    assertThat(reply.getHeader().getID()).isEqualTo(777);
    assertThat(reply.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(reply.getQuestion().getName().toString()).isEqualTo("WWW.Example.COM.");
    // Owners compressed against the question follow its case.
    assertThat(reply.getSection(Section.ANSWER).get(0).getName().toString()).isEqualTo("WWW.Example.COM.");
  }

  @Test
  void theRdAndAdBitsArePartOfTheKey() {
    // An upstream may answer RD=0 from its cache alone, and AD goes only to clients that asked.
    Message recursive = query("www.example.com.", Type.A);
    Message iterative = query("www.example.com.", Type.A);
    iterative.getHeader().unsetFlag(Flags.RD);
    Message authentic = query("www.example.com.", Type.A);
    authentic.getHeader().setFlag(Flags.AD);

    ask(recursive);
    ask(iterative);
    ask(authentic);
    assertThat(calls).hasValue(3);

    assertThat(ask(iterative).getHeader().getFlag(Flags.RD)).isFalse();
    ask(recursive);
    ask(authentic);
    assertThat(calls).hasValue(3);
  }

  @Test
  void theCdBitIsPartOfTheKeyAndComesFromTheClient() {
    Message checking = query("www.example.com.", Type.A);
    Message unchecked = query("www.example.com.", Type.A);
    unchecked.getHeader().setFlag(Flags.CD);

    ask(checking);
    Message reply = ask(unchecked);
    ask(unchecked);

    assertThat(calls).hasValue(2);
    assertThat(reply.getHeader().getFlag(Flags.CD)).isTrue();
    assertThat(ask(checking).getHeader().getFlag(Flags.CD)).isFalse();
    assertThat(calls).hasValue(2);
  }

  @Test
  void typeClassDnssecOkAndEdnsSeparateEntriesWhileTransportAndPayloadSizeDoNot() {
    List<Message> distinct = List.of(
        query("www.example.com.", Type.A),
        query("www.example.com.", Type.AAAA),
        queryInClass("www.example.com.", Type.A, DClass.CH),
        ednsQuery("www.example.com.", Type.A, 1232, false),
        ednsQuery("www.example.com.", Type.A, 1232, true));
    upstream = request -> reply(request, Rcode.NOERROR, List.of(), List.of(), List.of(),
        record(owner(request) + " 30 " + DClass.string(request.qclass()) + " TXT \"" + variant(request) + "\""));

    for (Message query : distinct) {
      ask(query);
    }
    assertThat(calls).hasValue(distinct.size());

    for (Message query : distinct) {
      DnsRequest request = new DnsRequest(query, CLIENT, false, 0);
      assertThat(ask(query).getSection(Section.ANSWER).get(0).rdataToString())
          .contains(variant(request));
    }
    ask(query("www.example.com.", Type.A), true);
    ask(ednsQuery("www.example.com.", Type.A, 4096, false), true);
    ask(ednsQuery("www.example.com.", Type.A, 512, false));
    assertThat(calls).hasValue(distinct.size());
  }

  private static String variant(DnsRequest request) {
    return Type.string(request.qtype()) + "/" + DClass.string(request.qclass()) + "/" + request.edns()
        + "/" + request.dnssecOk();
  }

  @Test
  void ttlsCountDownInEverySectionByWholeSecondsSinceStoring() {
    upstream = request -> reply(request, Rcode.NOERROR,
        List.of("www.example.com. 30 IN CNAME web.example.com.", "web.example.com. 40 IN A 10.0.0.1"),
        List.of("example.com. 50 IN NS ns.example.com."),
        List.of("ns.example.com. 45 IN A 10.0.0.53"));
    ask(query("www.example.com.", Type.A));

    advance(10.7);
    Message reply = ask(query("www.example.com.", Type.A));

    assertThat(calls).hasValue(1);
    assertThat(ttls(reply, Section.ANSWER)).containsExactly(20L, 30L);
    assertThat(ttls(reply, Section.AUTHORITY)).containsExactly(40L);
    assertThat(ttls(reply, Section.ADDITIONAL)).containsExactly(35L);
  }

  @Test
  void anEntryLivesAsLongAsItsSmallestTtl() {
    upstream = request -> reply(request, Rcode.NOERROR,
        List.of("www.example.com. 300 IN A 10.0.0.1"), List.of(), List.of("www.example.com. 25 IN TXT x"));
    ask(query("www.example.com.", Type.A));

    advance(24.9);
    assertThat(ttls(ask(query("www.example.com.", Type.A)), Section.ANSWER)).containsExactly(276L);
    assertThat(calls).hasValue(1);

    advance(0.1);
    Message fresh = ask(query("www.example.com.", Type.A));
    assertThat(calls).hasValue(2);
    assertThat(ttls(fresh, Section.ANSWER)).containsExactly(300L);
  }

  @Test
  void anEntryLivesAtMostTheConfiguredTtl() {
    upstream = request -> reply(request, Rcode.NOERROR,
        List.of("www.example.com. 86400 IN A 10.0.0.1"), List.of(), List.of());
    ask(query("www.example.com.", Type.A));

    advance(59.99);
    ask(query("www.example.com.", Type.A));
    assertThat(calls).hasValue(1);
    advance(0.01);
    ask(query("www.example.com.", Type.A));
    assertThat(calls).hasValue(2);
  }

  @Test
  void recordsWithTtlZeroAreNotCached() {
    upstream = request -> reply(request, Rcode.NOERROR,
        List.of("www.example.com. 0 IN A 10.0.0.1"), List.of(), List.of());
    ask(query("www.example.com.", Type.A));
    ask(query("www.example.com.", Type.A));
    assertThat(calls).hasValue(2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("negativeLifetimes")
  void negativeAnswersLiveForTheSoaMinimumCappedByTheConfiguredTtl(String name, int rcode, String soa,
      double lifetimeSeconds) {
    upstream = request -> reply(request, rcode, List.of(), List.of(soa), List.of());
    ask(query("missing.example.com.", Type.A));

    advance(lifetimeSeconds - 0.01);
    Message reply = ask(query("missing.example.com.", Type.A));
    assertThat(calls).hasValue(1);
    assertThat(reply.getRcode()).isEqualTo(rcode);
    assertThat(reply.getSection(Section.AUTHORITY)).hasSize(1);

    advance(0.01);
    ask(query("missing.example.com.", Type.A));
    assertThat(calls).hasValue(2);
  }

  static Stream<Arguments> negativeLifetimes() {
    String soa = "example.com. %d IN SOA ns.example.com. hostmaster.example.com. 1 7200 1800 86400 %d";
    return Stream.of(
        Arguments.of("NXDOMAIN, MINIMUM below the SOA TTL", Rcode.NXDOMAIN, String.format(soa, 300, 20), 20),
        Arguments.of("NXDOMAIN, SOA TTL below MINIMUM", Rcode.NXDOMAIN, String.format(soa, 10, 300), 10),
        Arguments.of("NXDOMAIN, both above rcache_ttl", Rcode.NXDOMAIN, String.format(soa, 3600, 3600), 60),
        Arguments.of("NODATA, MINIMUM below the SOA TTL", Rcode.NOERROR, String.format(soa, 300, 20), 20),
        Arguments.of("NODATA, both above rcache_ttl", Rcode.NOERROR, String.format(soa, 600, 900), 60));
  }

  @Test
  void theSoaTtlOfACachedNegativeAnswerCountsDown() {
    upstream = request -> reply(request, Rcode.NXDOMAIN, List.of(), List.of(SOA_300_MIN_20), List.of());
    ask(query("missing.cluster.local.", Type.A));
    advance(5);
    assertThat(ttls(ask(query("missing.cluster.local.", Type.A)), Section.AUTHORITY)).containsExactly(295L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("uncacheable")
  void repliesThatMustNotBeReusedGoToTheChainEveryTime(String name, Function<DnsRequest, Message> answer) {
    upstream = answer;
    Message first = ask(query("www.example.com.", Type.A));
    Message second = ask(query("www.example.com.", Type.A));

    assertThat(calls).hasValue(2);
    assertThat(misses).hasValue(2);
    if (first != null) {
      assertThat(second.getRcode()).isEqualTo(first.getRcode());
    }
  }

  static Stream<Arguments> uncacheable() {
    return Stream.of(
        Arguments.of("SERVFAIL", answerWith(request -> empty(request, Rcode.SERVFAIL))),
        Arguments.of("SERVFAIL with a SOA", answerWith(request -> reply(request, Rcode.SERVFAIL, List.of(),
            List.of(SOA_300_MIN_20), List.of()))),
        Arguments.of("REFUSED", answerWith(request -> empty(request, Rcode.REFUSED))),
        Arguments.of("FORMERR", answerWith(request -> empty(request, Rcode.FORMERR))),
        Arguments.of("NOTIMP", answerWith(request -> empty(request, Rcode.NOTIMP))),
        Arguments.of("BADVERS (extended rcode)", answerWith(request -> reply(request, Rcode.NOERROR,
            List.of("www.example.com. 30 IN A 10.0.0.1"), List.of(), List.of(),
            new OPTRecord(1232, Rcode.BADVERS >>> 4, 0)))),
        Arguments.of("TC", answerWith(request -> {
          Message reply = reply(request, Rcode.NOERROR, List.of("www.example.com. 30 IN A 10.0.0.1"), List.of(),
              List.of());
          reply.getHeader().setFlag(Flags.TC);
          return reply;
        })),
        Arguments.of("NXDOMAIN without SOA", answerWith(request -> reply(request, Rcode.NXDOMAIN, List.of(),
            List.of(), List.of()))),
        Arguments.of("NODATA without SOA", answerWith(request -> reply(request, Rcode.NOERROR, List.of(),
            List.of(), List.of()))),
        Arguments.of("NXDOMAIN with the SOA in the additional section", answerWith(request -> reply(request,
            Rcode.NXDOMAIN, List.of(), List.of(), List.of(SOA_300_MIN_20)))),
        Arguments.of("NXDOMAIN whose SOA MINIMUM has the top bit set", answerWith(request -> reply(request,
            Rcode.NXDOMAIN, List.of(),
            List.of("example.com. 300 IN SOA ns.example.com. hostmaster.example.com. 1 7200 1800 86400 2147483648"),
            List.of()))),
        Arguments.of("referral", answerWith(request -> reply(request, Rcode.NOERROR, List.of(),
            List.of("example.com. 300 IN NS ns.example.com."), List.of("ns.example.com. 300 IN A 10.0.0.53")))),
        Arguments.of("drop (null)", answerWith(request -> null)));
  }

  private static Message empty(DnsRequest request, int rcode) {
    return reply(request, rcode, List.of(), List.of(), List.of());
  }

  private static Function<DnsRequest, Message> answerWith(Function<DnsRequest, Message> answer) {
    return answer;
  }

  @Test
  void aFailedStageIsPassedOnAndNotCached() {
    Resolver.Next failing = request -> {
      calls.incrementAndGet();
      return CompletableFuture.failedFuture(new IllegalStateException("upstream broke"));
    };
    DnsRequest request = new DnsRequest(query("www.example.com.", Type.A), CLIENT, false, 0);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> cache.resolve(request, failing).toCompletableFuture().join())
          .isInstanceOf(CompletionException.class).hasRootCauseMessage("upstream broke");
    }
    assertThat(calls).hasValue(2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void anIndexChangeEndsAnswersForTheDomainAndReverseNamesButNotForwardedOnes() {
    upstream = request -> reply(request, Rcode.NOERROR,
        List.of(owner(request) + " 30 IN " + Type.string(request.qtype())
            + (request.qtype() == Type.PTR ? " web.cluster.local." : " 10.0.0.1")),
        List.of(), List.of());
    List<Message> fromIndex = List.of(query("web.default.svc.cluster.local.", Type.A),
        query("CLUSTER.LOCAL.", Type.A), query("1.0.0.10.in-addr.arpa.", Type.PTR));
    Message forwarded = query("www.example.com.", Type.A);
    fromIndex.forEach(this::ask);
    ask(forwarded);
    assertThat(calls).hasValue(4);

    generation.incrementAndGet();
    ask(forwarded);
    assertThat(calls).hasValue(4);
    fromIndex.forEach(this::ask);
    assertThat(calls).hasValue(7);
    fromIndex.forEach(this::ask);
    assertThat(calls).hasValue(7);
  }

  @Test
  void aStubZoneChangeEndsForwardedAnswersButNotThoseOfTheIndex() {
    upstream = request -> reply(request, Rcode.NOERROR, List.of(owner(request) + " 30 IN A 10.0.0.1"),
        List.of(), List.of());
    Message forwarded = query("www.example.com.", Type.A);
    Message fromIndex = query("web.cluster.local.", Type.A);
    ask(forwarded);
    ask(fromIndex);
    assertThat(calls).hasValue(2);

    routing.incrementAndGet();
    ask(fromIndex);
    assertThat(calls).as("the index did not change").hasValue(2);
    ask(forwarded);
    assertThat(calls).as("the name may go to another server now").hasValue(3);
    ask(forwarded);
    assertThat(calls).hasValue(3);
  }

  @Test
  void aForwardedAnswerMadeWhileTheStubZonesChangedIsNotReusedAfterwards() {
    upstream = request -> {
      routing.incrementAndGet(); // a stub zone is added while the upstream answers
      return reply(request, Rcode.NOERROR, List.of(owner(request) + " 30 IN A 10.0.0.1"), List.of(), List.of());
    };
    ask(query("www.example.com.", Type.A));

    ask(query("www.example.com.", Type.A));

    assertThat(calls).hasValue(2);
  }

  @Test
  void anAnswerMadeWhileTheIndexChangedIsNotReusedAfterwards() {
    upstream = request -> {
      generation.incrementAndGet(); // the data changes while the answer is made
      return reply(request, Rcode.NOERROR, List.of(owner(request) + " 30 IN A 10.0.0.1"), List.of(), List.of());
    };
    ask(query("web.cluster.local.", Type.A));
    upstream = request -> reply(request, Rcode.NOERROR, List.of(owner(request) + " 30 IN A 10.0.0.2"),
        List.of(), List.of());

    Message reply = ask(query("web.cluster.local.", Type.A));

    assertThat(calls).hasValue(2);
    assertThat(reply.getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("10.0.0.2");
  }

  @Test
  void theUpstreamsOptIsNotKeptSoItsCookieIsNotSentToOtherClients() {
    upstream = request -> reply(request, Rcode.NOERROR, List.of(owner(request) + " 30 IN A 10.0.0.1"),
        List.of(), List.of(), new OPTRecord(4096, 0, 0, ExtendedFlags.DO,
            new CookieOption(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, new byte[] {9, 9, 9, 9, 9, 9, 9, 9})));
    ask(ednsQuery("www.example.com.", Type.A, 1232, true));

    Message reply = ask(ednsQuery("www.example.com.", Type.A, 1232, true));

    assertThat(calls).hasValue(1);
    assertThat(reply.getOPT()).isNull();
    assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void aQueryWithAClientSubnetBypassesTheCacheAndCountsAsAMiss() throws Exception {
    Message query = query("www.example.com.", Type.A);
    query.addRecord(new OPTRecord(1232, 0, 0, 0,
        new ClientSubnetOption(24, java.net.InetAddress.getByName("192.0.2.0"))), Section.ADDITIONAL);

    ask(query);
    ask(query);

    assertThat(calls).hasValue(2);
    assertThat(misses).hasValue(2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void neitherTheStoredReplyNorAServedCopyCanChangeWhatIsKept() throws Exception {
    Message original = ask(query("www.example.com.", Type.A));
    original.addRecord(record("www.example.com. 30 IN A 10.9.9.9"), Section.ANSWER);
    original.getHeader().setRcode(Rcode.SERVFAIL);

    Message served = ask(query("www.example.com.", Type.A));
    served.addRecord(record("www.example.com. 30 IN A 10.8.8.8"), Section.ANSWER);
    served.getHeader().setFlag(Flags.TC);

    Message again = ask(query("www.example.com.", Type.A));
    assertThat(calls).hasValue(1);
    assertThat(again.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(again.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(again.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("10.0.0.1");
  }

  @Test
  void manyDistinctNamesKeepAtMostCapacityEntriesAndTheOldestGoFirst() {
    cache = cache(100, false);
    for (int i = 0; i < 10_000; i++) {
      ask(query("host" + i + ".example.com.", Type.A));
    }
    assertThat(cache.size()).isEqualTo(100);

    ask(query("host9999.example.com.", Type.A));
    ask(query("host9900.example.com.", Type.A));
    assertThat(calls).hasValue(10_000);
    ask(query("host9899.example.com.", Type.A));
    assertThat(calls).hasValue(10_001);
    assertThat(cache.size()).isEqualTo(100);
  }

  @Test
  void aReplyLargerThanTheStoredLimitIsNotKept() {
    upstream = request -> {
      List<String> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        answers.add(owner(request) + " 30 IN TXT \"" + "x".repeat(200) + i + "\"");
      }
      return reply(request, Rcode.NOERROR, answers, List.of(), List.of());
    };
    Message first = ask(query("big.example.com.", Type.TXT));
    assertThat(first.toWire().length).isGreaterThan(CachedReply.MAX_BYTES);
    ask(query("big.example.com.", Type.TXT));
    assertThat(calls).hasValue(2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void roundRobinShufflesEachAddressRRsetOnEveryHitAndKeepsTheCnameFirst() {
    cache = cache(100, true);
    upstream = request -> reply(request, Rcode.NOERROR, addressChain(), List.of(), List.of());
    ask(query("www.example.com.", Type.A));

    Set<List<String>> orders = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      List<Record> answer = ask(query("www.example.com.", Type.A)).getSection(Section.ANSWER);
      assertThat(answer.get(0).getType()).isEqualTo(Type.CNAME);
      List<String> addresses = answer.subList(1, answer.size()).stream().map(Record::rdataToString).toList();
      assertThat(addresses).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");
      orders.add(addresses);
    }
    assertThat(calls).hasValue(1);
    assertThat(orders).hasSizeGreaterThan(1);
  }

  @Test
  void withoutRoundRobinTheOrderIsKept() {
    upstream = request -> reply(request, Rcode.NOERROR, addressChain(), List.of(), List.of());
    List<Record> first = ask(query("www.example.com.", Type.A)).getSection(Section.ANSWER);
    for (int i = 0; i < 5; i++) {
      assertThat(ask(query("www.example.com.", Type.A)).getSection(Section.ANSWER)).isEqualTo(first);
    }
  }

  private static List<String> addressChain() {
    return List.of("www.example.com. 30 IN CNAME web.example.com.", "web.example.com. 30 IN A 10.0.0.1",
        "web.example.com. 30 IN A 10.0.0.2", "web.example.com. 30 IN A 10.0.0.3",
        "web.example.com. 30 IN A 10.0.0.4");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileReplies")
  void oddRepliesPassThroughUnchangedAndAreNotKept(String name, Function<DnsRequest, Message> answer) {
    upstream = answer;
    Message query = query("www.example.com.", Type.A);
    Message expected = answer.apply(new DnsRequest(query, CLIENT, false, 0));

    Message first = ask(query);
    Message second = ask(query);

    assertThat(first.toString()).isEqualTo(expected.toString());
    assertThat(second.toString()).isEqualTo(expected.toString());
    assertThat(calls).hasValue(2);
    assertThat(cache.size()).isZero();
  }

  static Stream<Arguments> hostileReplies() {
    return Stream.of(
        Arguments.of("another question", answerWith(request -> {
          Message reply = reply(request, Rcode.NOERROR, List.of("other.example.com. 30 IN A 10.0.0.1"),
              List.of(), List.of());
          reply.removeAllRecords(Section.QUESTION);
          reply.addRecord(Record.newRecord(name("other.example.com."), Type.A, DClass.IN), Section.QUESTION);
          return reply;
        })),
        Arguments.of("two questions", answerWith(request -> {
          Message reply = reply(request, Rcode.NOERROR, List.of("www.example.com. 30 IN A 10.0.0.1"),
              List.of(), List.of());
          reply.addRecord(Record.newRecord(name("other.example.com."), Type.A, DClass.IN), Section.QUESTION);
          return reply;
        })),
        Arguments.of("no question", answerWith(request -> {
          Message reply = reply(request, Rcode.NOERROR, List.of("www.example.com. 30 IN A 10.0.0.1"),
              List.of(), List.of());
          reply.removeAllRecords(Section.QUESTION);
          return reply;
        })),
        Arguments.of("an OPT in the answer section", answerWith(request -> {
          Message reply = reply(request, Rcode.NOERROR, List.of("www.example.com. 30 IN A 10.0.0.1"),
              List.of(), List.of());
          reply.addRecord(new OPTRecord(1232, 0, 0), Section.ANSWER);
          return reply;
        })),
        Arguments.of("a TTL with the top bit set", answerWith(ResponseCacheTest::topBitTtlReply)));
  }

  /** Returns an answer whose TTL on the wire is 2^31 + 30, which dnsjava reads as 0 (RFC 2181 section 8). */
  private static Message topBitTtlReply(DnsRequest request) {
    byte[] wire = reply(request, Rcode.NOERROR, List.of("www.example.com. 30 IN A 10.0.0.1"), List.of(),
        List.of()).toWire();
    int ttl = wire.length - 4 - 2 - 4; // the A record ends with TTL, RDLENGTH, 4 address bytes
    wire[ttl] = (byte) 0x80;
    try {
      Message reply = new Message(wire);
      assertThat(reply.getSection(Section.ANSWER).get(0).getTTL()).isZero();
      return reply;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void oddButValidRecordsAreKeptAsTheyCame() {
    upstream = request -> reply(request, Rcode.NOERROR, List.of(), List.of(), List.of(),
        record("www.example.com. 30 IN TYPE65280 \\# 3 010203"),
        record("www.example.com. 30 IN TXT \"\""),
        record("*.example.com. 30 IN A 10.0.0.1"));
    Message first = ask(query("www.example.com.", Type.A));
    Message second = ask(query("www.example.com.", Type.A));
    assertThat(calls).hasValue(1);
    assertThat(second.getSection(Section.ANSWER)).isEqualTo(first.getSection(Section.ANSWER));
  }

  @Test
  void duplicateSoasInANegativeAnswerUseTheSmallestMinimum() {
    upstream = request -> reply(request, Rcode.NXDOMAIN, List.of(), List.of(
        "example.com. 300 IN SOA ns.example.com. hostmaster.example.com. 1 7200 1800 86400 40",
        "example.com. 300 IN SOA ns.example.com. hostmaster.example.com. 2 7200 1800 86400 15"), List.of());
    ask(query("missing.example.com.", Type.A));
    advance(14.99);
    ask(query("missing.example.com.", Type.A));
    assertThat(calls).hasValue(1);
    advance(0.01);
    ask(query("missing.example.com.", Type.A));
    assertThat(calls).hasValue(2);
  }

  @Test
  void manyThreadsHammeringTheCacheGetCorrectRepliesAndTheSizeStaysBounded() throws Exception {
    int capacity = 64;
    int threads = 8;
    cache = cache(capacity, true);
    upstream = request -> reply(request, Rcode.NOERROR,
        List.of(owner(request) + " 30 IN A 10.0.0.1", owner(request) + " 30 IN A 10.0.0.2"), List.of(), List.of());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          start.await();
          Random random = new Random(seed);
          int maxSize = 0;
          for (int i = 0; i < 5_000; i++) {
            // Half the names are the domain's, so index changes end some entries as well.
            String name = "Host" + random.nextInt(500) + (i % 2 == 0 ? ".example.com." : ".Cluster.Local.");
            Message query = query(name, Type.A);
            query.getHeader().setID(i);
            if (i % 1000 == 0) {
              generation.incrementAndGet();
            }
            Message reply = ask(query);
            assertThat(reply.getHeader().getID()).isEqualTo(i);
            assertThat(reply.getQuestion().getName().toString()).isEqualTo(name);
            assertThat(reply.getSection(Section.ANSWER)).extracting(Record::rdataToString)
                .containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
            maxSize = Math.max(maxSize, cache.size());
          }
          return maxSize;
        }));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isLessThanOrEqualTo(capacity + threads);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(cache.size()).isLessThanOrEqualTo(capacity);
    assertThat(calls.get()).isLessThan(threads * 5_000).isEqualTo(misses.get());
  }

  @Test
  void theConfigurationRefusesNonsense() {
    assertThatThrownBy(() -> new ResponseCacheConfig(0, Duration.ofSeconds(60), DOMAIN, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ResponseCacheConfig(10, Duration.ZERO, DOMAIN, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ResponseCache(new ResponseCacheConfig(10, Duration.ofSeconds(1), "a..b", true),
        generation::get, routing::get, clock::get, new Random(1), () -> { })).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- messages

  static Message query(String name, int type) {
    return queryInClass(name, type, DClass.IN);
  }

  static Message queryInClass(String name, int type, int dclass) {
    Message query = Message.newQuery(Record.newRecord(name(name), type, dclass));
    query.getHeader().setID(4242);
    return query;
  }

  static Message ednsQuery(String name, int type, int payload, boolean dnssecOk) {
    Message query = query(name, type);
    query.addRecord(new OPTRecord(payload, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    return query;
  }

  /** Returns a reply to the request with the records given as zone-file lines, plus {@code extra} answers. */
  static Message reply(DnsRequest request, int rcode, List<String> answer, List<String> authority,
      List<String> additional, Record... extra) {
    Message reply = Replies.reply(request.query());
    reply.getHeader().setRcode(rcode & 0xF);
    DnsAssertions.parse(answer).forEach(record -> reply.addRecord(record, Section.ANSWER));
    DnsAssertions.parse(authority).forEach(record -> reply.addRecord(record, Section.AUTHORITY));
    DnsAssertions.parse(additional).forEach(record -> reply.addRecord(record, Section.ADDITIONAL));
    for (Record record : extra) {
      reply.addRecord(record, record.getType() == Type.OPT ? Section.ADDITIONAL : Section.ANSWER);
    }
    return reply;
  }

  static Record record(String line) {
    return DnsAssertions.parse(List.of(line)).get(0);
  }

  static Name name(String name) {
    return Name.fromConstantString(name);
  }

  private static String owner(DnsRequest request) {
    return request.lname();
  }

  private static List<Long> ttls(Message reply, int section) {
    return reply.getSection(section).stream().map(Record::getTTL).toList();
  }
}
