package org.clusterdns.skydns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusterdns.skydns.server.TestMessages.a;
import static org.clusterdns.skydns.server.TestMessages.addressReply;
import static org.clusterdns.skydns.server.TestMessages.ednsQuery;
import static org.clusterdns.skydns.server.TestMessages.name;
import static org.clusterdns.skydns.server.TestMessages.parse;
import static org.clusterdns.skydns.server.TestMessages.query;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class AnswerCacheTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 53000);
  private static final AnswerReuse FOREVER = new AnswerReuse(Long.MAX_VALUE, true, false);

  private final AtomicInteger resolved = new AtomicInteger();
  private final AtomicLong generation = new AtomicLong(1);
  private final AtomicLong routing = new AtomicLong(1);
  private final AtomicInteger answerCount = new AtomicInteger(1);
  private final RecordingEvents events = new RecordingEvents();
  private AnswerReuse reuse = AnswerReuse.untilDataChanges(Duration.ofMinutes(1));

  private final QueryProcessor processor = new QueryProcessor(
      request -> {
        resolved.incrementAndGet();
        return CompletableFuture.completedFuture(addressReply(request, answerCount.get()));
      },
      events,
      new AnswerCacheSettings(100, generation::get, routing::get, reply -> reuse));

  private Message ask(Message query, boolean tcp) {
    byte[] reply = processor.process(query.toWire(), CLIENT, tcp).toCompletableFuture().join();
    assertThat(reply).isNotNull();
    return parse(reply);
  }

  @Test
  void aRepeatedQueryIsAnsweredWithoutTheChainWithItsOwnIdCaseAndFlags() {
    Message first = ask(query("web.skydns.local", Type.A), false);
    Message second = query("WEB.SkyDNS.local", Type.A);
    second.getHeader().setID(777);
    second.getHeader().unsetFlag(Flags.RD);
    second.getHeader().setFlag(Flags.CD);

    Message reply = ask(second, false);

    assertThat(resolved).hasValue(1);
    assertThat(reply.getHeader().getID()).isEqualTo(777);
    assertThat(reply.getHeader().getFlag(Flags.RD)).isFalse();
    assertThat(reply.getHeader().getFlag(Flags.CD)).isTrue();
    assertThat(reply.getQuestion().getName().toString()).isEqualTo("WEB.SkyDNS.local.");
    assertThat(reply.getSection(Section.ANSWER).get(0).getName().toString()).isEqualTo("WEB.SkyDNS.local.");
    assertThat(reply.getSection(Section.ANSWER)).hasSameSizeAs(first.getSection(Section.ANSWER));
    assertThat(events.cachedBytes).containsExactly(reply.toWire().length);
  }

  @Test
  void aDataChangeInvalidatesEveryEntry() {
    ask(query("web.skydns.local", Type.A), false);
    generation.incrementAndGet();
    ask(query("web.skydns.local", Type.A), false);
    assertThat(resolved).hasValue(2);
    ask(query("web.skydns.local", Type.A), false);
    assertThat(resolved).hasValue(2);
  }

  @Test
  void typeAndEdnsStateArePartOfTheKey() {
    ask(query("web.skydns.local", Type.A), false);
    ask(query("web.skydns.local", Type.AAAA), false);
    Message edns = ask(ednsQuery("web.skydns.local", Type.A, 4096, false), false);
    Message ednsDo = ask(ednsQuery("web.skydns.local", Type.A, 4096, true), false);
    assertThat(resolved).hasValue(4);
    assertThat(edns.getOPT()).isNotNull();
    assertThat(ednsDo.getOPT().getFlags() & ExtendedFlags.DO).isNotZero();

    Message plain = ask(query("web.skydns.local", Type.A), false);
    assertThat(resolved).hasValue(4);
    assertThat(plain.getOPT()).as("a plain query never gets the EDNS reply").isNull();
  }

  @Test
  void aStoredReplyLargerThanTheClientsLimitGoesThroughTheFullPath() {
    answerCount.set(60); // about 1 KB: fits 4096, not 512
    ask(ednsQuery("big.skydns.local", Type.A, 4096, false), false);
    ask(ednsQuery("big.skydns.local", Type.A, 4096, false), false);
    assertThat(resolved).hasValue(1);

    Message small = ask(ednsQuery("big.skydns.local", Type.A, 512, false), false);
    assertThat(resolved).hasValue(2);
    assertThat(small.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(small.toWire().length).isLessThanOrEqualTo(512);
  }

  @Test
  void udpReplyLimitIsCappedAt1232BytesAlsoForCachedReplies() {
    answerCount.set(100); // about 1.7 KB
    Message tcp = ask(ednsQuery("big.skydns.local", Type.A, 65535, false), true);
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(100);

    Message udp = ask(ednsQuery("big.skydns.local", Type.A, 65535, false), false);

    assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(udp.toWire().length).isLessThanOrEqualTo(1232);
  }

  @Test
  void answerCacheBytesAreBoundedByNotStoringRepliesLargerThan1232Bytes() {
    answerCount.set(100); // about 1.7 KB, sent whole over TCP
    ask(query("big.skydns.local", Type.A), true);
    ask(query("big.skydns.local", Type.A), true);
    assertThat(resolved).hasValue(2);
    assertThat(events.cachedBytes).isEmpty();

    AnswerCache cache = new AnswerCache(10, () -> 1, () -> 1, System::nanoTime, reply -> FOREVER);
    byte[] query = query("web.skydns.local", Type.A).toWire();
    cache.store(query, new Message(), new byte[1233], 1, 1);
    assertThat(cache.size()).isZero();
    cache.store(query, new Message(), new byte[1232], 1, 1);
    assertThat(cache.size()).isOne();
  }

  @Test
  void truncatedRepliesAreNeverStored() {
    answerCount.set(60);
    ask(query("big.skydns.local", Type.A), false);
    Message tcp = ask(query("big.skydns.local", Type.A), true);
    assertThat(resolved).hasValue(2);
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(60);
  }

  @Test
  void repliesTheCallerRefusesAreNotStored() {
    reuse = AnswerReuse.NEVER;
    ask(query("web.skydns.local", Type.A), false);
    ask(query("web.skydns.local", Type.A), false);
    assertThat(resolved).hasValue(2);
  }

  @Test
  void queriesWithMoreThanAQuestionAndAPlainOptTakeTheFullPath() {
    Message withAnswer = query("web.skydns.local", Type.A);
    withAnswer.addRecord(a(name("web.skydns.local"), 10, 0, 0, 1), Section.ANSWER);
    ask(withAnswer, false);
    ask(withAnswer, false);
    assertThat(resolved).hasValue(2);
  }

  @Test
  void entriesExpireAfterTheirMaximumAge() {
    AtomicLong now = new AtomicLong();
    AnswerCache cache = new AnswerCache(10, () -> 1, () -> 1, now::get, reply -> new AnswerReuse(1_000, true, false));
    byte[] query = query("web.skydns.local", Type.A).toWire();
    Message reply = new Message(4242);
    reply.getHeader().setRcode(Rcode.NOERROR);
    cache.store(query, reply, query, 1, 1);
    assertThat(cache.lookup(query, false)).isNotNull();
    now.set(1_001);
    assertThat(cache.lookup(query, false)).isNull();
  }

  @Test
  void aFullCacheStartsOver() {
    AnswerCache cache = new AnswerCache(2, () -> 1, () -> 1, System::nanoTime, reply -> FOREVER);
    Message reply = new Message();
    for (String host : new String[] {"a", "b", "c"}) {
      byte[] query = query(host + ".skydns.local", Type.A).toWire();
      cache.store(query, reply, query, 1, 1);
    }
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void forwardedAnswersCountTheirTtlsDownAndOutliveDataChanges() {
    AtomicLong now = new AtomicLong();
    AnswerCache cache = new AnswerCache(10, generation::get, routing::get, now::get,
        reply -> AnswerReuse.countingDown(Duration.ofSeconds(60)));
    byte[] query = query("www.example.org", Type.A).toWire();
    Message reply = addressReply(new DnsRequest(query("www.example.org", Type.A), CLIENT, false, 0), 2);
    cache.store(query, reply, reply.toWire(), generation.get(), routing.get());

    now.set(Duration.ofMillis(2_500).toNanos());
    generation.incrementAndGet();
    Message hit = parse(cache.lookup(query, false));

    assertThat(hit.getSection(Section.ANSWER)).extracting(org.xbill.DNS.Record::getTTL)
        .as("stored with 30, 2 whole seconds later").containsOnly(28L);
    now.set(Duration.ofSeconds(61).toNanos());
    assertThat(cache.lookup(query, false)).as("after its lifetime").isNull();
  }

  @Test
  void aStubZoneChangeEndsForwardedAnswersAtOnce() {
    AnswerCache cache = new AnswerCache(10, generation::get, routing::get, System::nanoTime,
        reply -> AnswerReuse.countingDown(Duration.ofSeconds(60)));
    byte[] query = query("www.example.org", Type.A).toWire();
    Message reply = addressReply(new DnsRequest(query("www.example.org", Type.A), CLIENT, false, 0), 1);
    cache.store(query, reply, reply.toWire(), generation.get(), routing.get());
    assertThat(cache.lookup(query, false)).isNotNull();

    routing.incrementAndGet();

    assertThat(cache.lookup(query, false)).as("the name may go to a stub server now").isNull();
  }

  @Test
  void anAnswerResolvedWhileTheStubZonesChangedIsNotReused() {
    reuse = AnswerReuse.countingDown(Duration.ofSeconds(60));
    QueryProcessor changing = new QueryProcessor(
        request -> {
          resolved.incrementAndGet();
          routing.incrementAndGet(); // a stub zone is added while the upstream answers
          return CompletableFuture.completedFuture(addressReply(request, 1));
        },
        events,
        new AnswerCacheSettings(100, generation::get, routing::get, reply -> reuse));
    byte[] wire = query("www.example.org", Type.A).toWire();

    changing.process(wire, CLIENT, false).toCompletableFuture().join();
    changing.process(wire, CLIENT, false).toCompletableFuture().join();

    assertThat(resolved).hasValue(2);
  }

  @Test
  void forwardedAnswersAreReusedOnlyForTheSameRdAdAndCdBits() {
    AnswerCache cache = new AnswerCache(10, generation::get, routing::get, System::nanoTime,
        reply -> AnswerReuse.countingDown(Duration.ofSeconds(60)));
    Message asked = query("www.example.org", Type.A);
    Message reply = addressReply(new DnsRequest(asked, CLIENT, false, 0), 1);
    cache.store(asked.toWire(), reply, reply.toWire(), generation.get(), routing.get());

    Message noRecursion = query("www.example.org", Type.A);
    noRecursion.getHeader().unsetFlag(Flags.RD);
    Message checkingDisabled = query("www.example.org", Type.A);
    checkingDisabled.getHeader().setFlag(Flags.CD);

    assertThat(cache.lookup(asked.toWire(), false)).isNotNull();
    assertThat(cache.lookup(noRecursion.toWire(), false)).isNull();
    assertThat(cache.lookup(checkingDisabled.toWire(), false)).isNull();
  }
}
