package org.clusterdns.skydns.resolve.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusterdns.skydns.resolve.cache.ResponseCacheTest.ednsQuery;
import static org.clusterdns.skydns.resolve.cache.ResponseCacheTest.query;
import static org.clusterdns.skydns.resolve.cache.ResponseCacheTest.reply;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.ResolverChain;
import org.clusterdns.skydns.server.QueryProcessor;
import org.clusterdns.skydns.server.TransportEvents;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The cache in front of the real transport: each reuse is fitted to its own client. */
class ResponseCacheTransportTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 5300);

  private final AtomicInteger calls = new AtomicInteger();
  private final ResponseCache cache = new ResponseCache(
      new ResponseCacheConfig(100, Duration.ofSeconds(60), "cluster.local.", false),
      () -> 1, () -> 1, System::nanoTime, new Random(1), () -> { });

  private QueryProcessor processor(java.util.function.Function<DnsRequest, Message> upstream) {
    return new QueryProcessor(new ResolverChain(List.of(cache, (request, next) -> {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(upstream.apply(request));
    })), TransportEvents.NONE);
  }

  private static Message send(QueryProcessor processor, Message query, boolean tcp) throws IOException {
    byte[] wire = processor.process(query.toWire(), CLIENT, tcp).toCompletableFuture().join();
    return new Message(wire);
  }

  @Test
  void aCachedLargeReplyIsTruncatedForUdpAndWholeOverTcp() throws IOException {
    QueryProcessor processor = processor(request -> {
      List<String> answers = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        answers.add(request.lname() + " 30 IN A 10.0." + (i / 256) + "." + (i % 256));
      }
      return reply(request, Rcode.NOERROR, answers, List.of(), List.of());
    });

    Message first = send(processor, query("many.example.com.", Type.A), false);
    Message udp = send(processor, query("many.example.com.", Type.A), false);
    Message tcp = send(processor, query("many.example.com.", Type.A), true);

    assertThat(calls).hasValue(1);
    assertThat(first.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(udp.toWire().length).isLessThanOrEqualTo(DnsRequest.CLASSIC_UDP_SIZE);
    assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(100);
  }

  @Test
  void anEdnsClientGetsTheServersOptNotTheUpstreams() throws IOException {
    QueryProcessor processor = processor(request -> reply(request, Rcode.NOERROR,
        List.of(request.lname() + " 30 IN A 10.0.0.1"), List.of(), List.of(),
        new OPTRecord(4096, 0, 0, ExtendedFlags.DO,
            new CookieOption(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, new byte[] {9, 9, 9, 9, 9, 9, 9, 9}))));

    send(processor, ednsQuery("www.example.com.", Type.A, 4096, true), false);
    Message hit = send(processor, ednsQuery("www.example.com.", Type.A, 4096, true), false);
    Message plain = send(processor, query("www.example.com.", Type.A), false);
    Message plainHit = send(processor, query("www.example.com.", Type.A), false);

    assertThat(calls).hasValue(2);
    assertThat(hit.getOPT().getPayloadSize()).isEqualTo(DnsRequest.MAX_UDP_SIZE);
    assertThat(hit.getOPT().getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
    assertThat(hit.getOPT().getOptions()).isEmpty();
    assertThat(plain.getOPT()).isNull();
    assertThat(plainHit.getOPT()).isNull();
    assertThat(plainHit.getSection(Section.ANSWER)).hasSize(1);
  }
}
