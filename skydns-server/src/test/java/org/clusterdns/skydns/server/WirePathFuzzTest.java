package org.clusterdns.skydns.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * Feeds arbitrary bytes through the whole wire path (header checks, parsing, chain, fitting,
 * encoding) over UDP and TCP. Whatever comes in, nothing may throw, and a reply, when there is
 * one, parses, echoes the ID, and fits the client's limit.
 *
 * <p>The normal build runs the committed seeds only; {@code JAZZER_FUZZ=1} fuzzes.
 */
class WirePathFuzzTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 5353);
  private static final Name ZONE = TestMessages.name("skydns.local");
  private static final QueryProcessor PROCESSOR = new QueryProcessor(
      request -> CompletableFuture.completedFuture(answer(request)), TransportEvents.NONE);

  /**
   * Answers like the real server would, with enough data to make fitting work: 20 A records per
   * label of the name, the zone's SOA in the authority section and glue in the additional.
   */
  private static Message answer(DnsRequest request) {
    Message reply = TestMessages.addressReply(request, 20 * request.qname().labels());
    reply.addRecord(new SOARecord(ZONE, DClass.IN, 30, TestMessages.name("ns.dns.skydns.local"),
        TestMessages.name("hostmaster.skydns.local"), 1, 3600, 600, 86400, 30), Section.AUTHORITY);
    reply.addRecord(TestMessages.a(TestMessages.name("ns.dns.skydns.local"), 10, 9, 9, 9),
        Section.ADDITIONAL);
    return reply;
  }

  @FuzzTest(maxDuration = "2m")
  void wirePath(byte[] input) {
    for (boolean tcp : new boolean[] {false, true}) {
      byte[] reply = PROCESSOR.process(input, CLIENT, tcp).toCompletableFuture().join();
      if (reply == null) {
        continue;
      }
      assertThat(reply.length).as("reply size, tcp=%s", tcp).isLessThanOrEqualTo(limit(input, tcp));
      assertThat(reply[0]).isEqualTo(input[0]);
      assertThat(reply[1]).isEqualTo(input[1]);
      try {
        assertThat(new Message(reply).getHeader().getFlag(Flags.QR)).isTrue();
      } catch (IOException e) {
        throw new AssertionError("reply does not parse", e);
      }
    }
  }

  /** The client's limit, read independently of the code under test. */
  private static int limit(byte[] input, boolean tcp) {
    if (tcp) {
      return DnsRequest.TCP_MAX_SIZE;
    }
    try {
      OPTRecord opt = new Message(input).getOPT();
      return opt == null ? 512 : Math.min(Math.max(512, opt.getPayloadSize()), 1232);
    } catch (IOException | RuntimeException e) {
      return 512;
    }
  }
}
