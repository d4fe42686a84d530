package org.clusterdns.skydns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusterdns.skydns.server.TestMessages.a;
import static org.clusterdns.skydns.server.TestMessages.addressReply;
import static org.clusterdns.skydns.server.TestMessages.ednsQuery;
import static org.clusterdns.skydns.server.TestMessages.name;
import static org.clusterdns.skydns.server.TestMessages.parse;
import static org.clusterdns.skydns.server.TestMessages.query;
import static org.clusterdns.skydns.server.TestMessages.replyTo;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.WKSRecord;

class QueryProcessorTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 53000);
  private static final Name NAME = name("web.skydns.local");

  private final RecordingEvents events = new RecordingEvents();

  private byte[] process(byte[] wire, boolean tcp, Function<DnsRequest, Message> answer) {
    QueryProcessor processor = new QueryProcessor(
        request -> CompletableFuture.completedFuture(answer.apply(request)), events);
    return processor.process(wire, CLIENT, tcp).toCompletableFuture().join();
  }

  private Message processUdp(Message query, Function<DnsRequest, Message> answer) {
    byte[] reply = process(query.toWire(), false, answer);
    assertThat(reply).as("reply").isNotNull();
    return parse(reply);
  }

  private static Message oneAddress(DnsRequest request) {
    return addressReply(request, 1);
  }

  private static Message failIfCalled(DnsRequest request) {
    throw new AssertionError("the resolver chain must not see " + request.query());
  }

  private static byte[] withFlags(Message query, int byte2, int byte3) {
    byte[] wire = query.toWire();
    wire[2] = (byte) byte2;
    wire[3] = (byte) byte3;
    return wire;
  }

  @Test
  void answersAWellFormedQueryThroughTheChain() {
    Message reply = processUdp(query("web.skydns.local", Type.A), QueryProcessorTest::oneAddress);

    assertThat(reply.getHeader().getID()).isEqualTo(4242);
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getSection(Section.ANSWER)).containsExactly(a(NAME, 10, 0, 0, 0));
    assertThat(events.sentBytes).hasSize(1);
  }

  @Test
  void passesClientTransportAndArrivalTimeToTheChain() {
    long before = System.nanoTime();
    DnsRequest[] seen = new DnsRequest[1];
    process(query("web.skydns.local", Type.A).toWire(), true, request -> {
      seen[0] = request;
      return oneAddress(request);
    });

    assertThat(seen[0].client()).isEqualTo(CLIENT);
    assertThat(seen[0].tcp()).isTrue();
    assertThat(seen[0].receivedNanos()).isBetween(before, System.nanoTime());
  }

  @Test
  void dropsResponses() {
    byte[] response = withFlags(query("web.skydns.local", Type.A), 0x80, 0);

    assertThat(process(response, false, QueryProcessorTest::failIfCalled)).isNull();
    assertThat(events.dropped).containsExactly("response");
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 2, 11})
  void dropsMessagesShorterThanAHeader(int length) {
    byte[] wire = Arrays.copyOf(query("web.skydns.local", Type.A).toWire(), length);

    assertThat(process(wire, false, QueryProcessorTest::failIfCalled)).isNull();
    assertThat(events.dropped).containsExactly("short");
  }

  @ParameterizedTest(name = "opcode {0}")
  @ValueSource(ints = {Opcode.IQUERY, Opcode.STATUS, 3, Opcode.NOTIFY, Opcode.UPDATE, 15})
  void answersOtherOpcodesWithNotimpEchoingIdOpcodeRdAndQuestion(int opcode) {
    Message query = query("web.skydns.local", Type.A);
    query.getHeader().setOpcode(opcode);

    Message reply = processUdp(query, QueryProcessorTest::failIfCalled);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(reply.getHeader().getID()).isEqualTo(4242);
    assertThat(reply.getHeader().getOpcode()).isEqualTo(opcode);
    assertThat(reply.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(reply.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(reply.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(reply.getQuestion()).isEqualTo(query.getQuestion());
    assertThat(events.rejected).containsExactly("NOTIMP");
  }

  @Test
  void answersAnUnparseableMessageWithAnotherOpcodeWithNotimp() {
    byte[] wire = {0x12, 0x34, (byte) (Opcode.UPDATE << 3), 0, 0, 1, 0, 0, 0, 0, 0, 0, 7};

    Message reply = parse(process(wire, false, QueryProcessorTest::failIfCalled));

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(reply.getHeader().getID()).isEqualTo(0x1234);
    assertThat(reply.getHeader().getOpcode()).isEqualTo(Opcode.UPDATE);
  }

  @Test
  void answersAQueryWithoutQuestionWithFormerr() {
    Message query = new Message(77);
    query.getHeader().setFlag(Flags.RD);

    Message reply = processUdp(query, QueryProcessorTest::failIfCalled);

    assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(reply.getHeader().getID()).isEqualTo(77);
    assertThat(reply.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(reply.getQuestion()).isNull();
    assertThat(events.rejected).containsExactly("FORMERR");
  }

  @Test
  void answersAQueryWithTwoQuestionsWithFormerrEchoingTheFirst() {
    Message query = query("web.skydns.local", Type.A);
    query.addRecord(Record.newRecord(name("db.skydns.local"), Type.AAAA, DClass.IN), Section.QUESTION);

    Message reply = processUdp(query, QueryProcessorTest::failIfCalled);

    assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(reply.getSection(Section.QUESTION)).containsExactly(query.getQuestion());
  }

  @Test
  void answersGarbageWithAReadableIdWithFormerr() {
    byte[] wire = {0x0a, 0x0b, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 63, 'x', 'y'};

    Message reply = parse(process(wire, false, QueryProcessorTest::failIfCalled));

    assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(reply.getHeader().getID()).isEqualTo(0x0a0b);
    assertThat(reply.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(reply.getHeader().getCount(Section.QUESTION)).isZero();
  }

  @Test
  void answersRecordCountsThatCannotFitTheMessageWithFormerr() {
    byte[] wire = {0, 9, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
        (byte) 0xff, (byte) 0xff, 0, 0, 1, 0, 1};

    Message reply = parse(process(wire, false, QueryProcessorTest::failIfCalled));

    assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(reply.getHeader().getID()).isEqualTo(9);
  }

  @Test
  void answersAQueryWithTwoOptRecordsWithFormerr() {
    Message query = ednsQuery("web.skydns.local", Type.A, 1232, false);
    query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);

    Message reply = processUdp(query, QueryProcessorTest::failIfCalled);

    assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @ParameterizedTest(name = "version {0}")
  @ValueSource(ints = {1, 255})
  void ednsVersionOtherThan0GetsBadvers(int version) {
    Message query = query("web.skydns.local", Type.A);
    query.addRecord(new OPTRecord(4096, 0, version, ExtendedFlags.DO), Section.ADDITIONAL);

    Message reply = processUdp(query, QueryProcessorTest::failIfCalled);

    assertThat(reply.getRcode()).isEqualTo(Rcode.BADVERS);
    assertThat(reply.getHeader().getRcode()).isZero();
    assertThat(reply.getHeader().getID()).isEqualTo(4242);
    assertThat(reply.getQuestion()).isEqualTo(query.getQuestion());
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    OPTRecord opt = reply.getOPT();
    assertThat(opt.getVersion()).isZero();
    assertThat(opt.getExtendedRcode()).isEqualTo(1);
    assertThat(opt.getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
    assertThat(events.rejected).containsExactly(Rcode.string(Rcode.BADVERS));
  }

  @Test
  void repliesWithoutOptToAQueryWithoutOpt() {
    Message reply = processUdp(query("web.skydns.local", Type.A), request -> {
      Message withOpt = oneAddress(request);
      withOpt.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
      return withOpt;
    });

    assertThat(reply.getOPT()).isNull();
    assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
  }

  @ParameterizedTest(name = "DO={0}")
  @ValueSource(booleans = {false, true})
  void repliesWithOptEchoingDoToAQueryWithOpt(boolean dnssecOk) {
    Message reply = processUdp(ednsQuery("web.skydns.local", Type.A, 4096, dnssecOk),
        QueryProcessorTest::oneAddress);

    OPTRecord opt = reply.getOPT();
    assertThat(opt).isNotNull();
    assertThat(opt.getPayloadSize()).isEqualTo(ReplyFitter.ADVERTISED_PAYLOAD_SIZE);
    assertThat(opt.getVersion()).isZero();
    assertThat(opt.getOptions()).isEmpty();
    assertThat((opt.getFlags() & ExtendedFlags.DO) != 0).isEqualTo(dnssecOk);
  }

  @Test
  void keepsTheResolversOwnOptAndAddsNoSecond() {
    Message reply = processUdp(ednsQuery("web.skydns.local", Type.A, 4096, true), request -> {
      Message signed = oneAddress(request);
      signed.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
      return signed;
    });

    assertThat(reply.getSection(Section.ADDITIONAL)).singleElement()
        .satisfies(opt -> assertThat(((OPTRecord) opt).getPayloadSize()).isEqualTo(4096));
  }

  @Test
  void addsOptToErrorRepliesForEdnsQueries() {
    Message query = ednsQuery("web.skydns.local", Type.A, 4096, true);
    query.getHeader().setOpcode(Opcode.NOTIFY);

    Message reply = processUdp(query, QueryProcessorTest::failIfCalled);

    assertThat(reply.getOPT()).isNotNull();
    assertThat(reply.getOPT().getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
  }

  @Test
  void truncatesToTheLongestFittingAnswerWithTcUnder512Bytes() {
    // 40 A records of 16 bytes each after the header and question: about 680 bytes.
    Message reply = processUdp(query("web.skydns.local", Type.A), request -> addressReply(request, 40));

    assertThat(reply.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(reply.toWire().length).isLessThanOrEqualTo(512);
    assertThat(reply.getSection(Section.ANSWER)).hasSizeBetween(1, 39);
    assertThat(events.sentBytes).singleElement().satisfies(bytes -> assertThat(bytes).isLessThanOrEqualTo(512));
    assertThat(events.truncated).hasValue(1);
  }

  @Test
  void keepsRepliesWithinTheClientsEdnsSize() {
    Message query = ednsQuery("web.skydns.local", Type.A, 1000, false);

    Message reply = processUdp(query, request -> addressReply(request, 100));

    int size = reply.toWire().length;
    assertThat(reply.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(size).isLessThanOrEqualTo(1000).isGreaterThan(1000 - 16);
    assertThat(reply.getOPT()).isNotNull();
  }

  @Test
  void raisesEdnsSizesBelow512To512() {
    Message reply = processUdp(ednsQuery("web.skydns.local", Type.A, 100, false),
        request -> addressReply(request, 20));

    assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(reply.getSection(Section.ANSWER)).hasSize(20);
  }

  @ParameterizedTest(name = "payload {0}")
  @ValueSource(ints = {1233, 4096, 65507, 65535})
  void udpReplyLimitIsCappedAt1232BytesWhateverPayloadTheClientClaims(int payload) {
    Message reply = processUdp(ednsQuery("web.skydns.local", Type.A, payload, false),
        request -> addressReply(request, 2000));

    assertThat(reply.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(reply.toWire().length).isLessThanOrEqualTo(1232).isGreaterThan(1232 - 16);
    assertThat(reply.getOPT().getPayloadSize()).isEqualTo(1232);
  }

  @ParameterizedTest(name = "reply of limit {0} bytes")
  @ValueSource(ints = {-1, 0})
  void sendsAReplyOfExactlyTheLimitWithoutTruncating(int belowLimit) {
    int limit = 512;
    Message query = query("web.skydns.local", Type.TXT);
    Message reply = processUdp(query, request -> txtReplyOfSize(request, limit + belowLimit));

    assertThat(reply.toWire().length).isEqualTo(limit + belowLimit);
    assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
  }

  /** Returns a reply of exactly {@code size} bytes: one TXT record padded to fit. */
  private static Message txtReplyOfSize(DnsRequest request, int size) {
    Message reply = replyTo(request);
    int empty = reply.toWire().length;
    // A TXT record with compressed owner: 2 + 10 fixed bytes, then one length byte per string.
    int text = size - empty - 12 - 2;
    reply.addRecord(new TXTRecord(request.qname(), DClass.IN, 30,
        Arrays.asList("a".repeat(255), "b".repeat(text - 255))), Section.ANSWER);
    assertThat(reply.toWire().length).isEqualTo(size);
    return reply;
  }

  @Test
  void dropsTheAdditionalSectionBeforeTruncatingAnswers() {
    Message reply = processUdp(ednsQuery("web.skydns.local", Type.A, 512, false), request -> {
      Message full = addressReply(request, 3);
      for (int i = 0; i < 40; i++) {
        full.addRecord(a(name("glue" + i + ".skydns.local"), 10, 1, 0, i), Section.ADDITIONAL);
      }
      return full;
    });

    assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(reply.getSection(Section.ANSWER)).hasSize(3);
    assertThat(reply.getSection(Section.ADDITIONAL)).singleElement().isInstanceOf(OPTRecord.class);
  }

  @Test
  void countsTheAuthoritySectionAndCutsItWithTc() {
    Message reply = processUdp(query("nope.skydns.local", Type.A), request -> {
      Message nxdomain = replyTo(request);
      nxdomain.getHeader().setRcode(Rcode.NXDOMAIN);
      Name zone = name("skydns.local");
      nxdomain.addRecord(new SOARecord(zone, DClass.IN, 30, name("ns.dns.skydns.local"),
          name("hostmaster.skydns.local"), 1, 3600, 600, 86400, 30), Section.AUTHORITY);
      for (int i = 0; i < 60; i++) {
        nxdomain.addRecord(new NSRecord(zone, DClass.IN, 30, name("ns" + i + ".dns.skydns.local")),
            Section.AUTHORITY);
      }
      return nxdomain;
    });

    assertThat(reply.toWire().length).isLessThanOrEqualTo(512);
    assertThat(reply.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(reply.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    // Cut at the RRset boundary: the SOA stays, the NS RRset goes whole.
    assertThat(reply.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
  }

  @Test
  void keepsWholeRrsetsWhenTruncating() {
    Message reply = processUdp(query("web.skydns.local", Type.ANY), request -> {
      Message mixed = addressReply(request, 5);
      for (int i = 0; i < 3; i++) {
        mixed.addRecord(new TXTRecord(request.qname(), DClass.IN, 30, "t".repeat(200) + i),
            Section.ANSWER);
      }
      return mixed;
    });

    assertThat(reply.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(reply.getSection(Section.ANSWER)).hasSize(5).allMatch(r -> r.getType() == Type.A);
  }

  @Test
  void keepsAPrefixOfAFirstRrsetTooLargeToFitWhole() {
    Message reply = processUdp(query("web.skydns.local", Type.A), request -> addressReply(request, 200));

    assertThat(reply.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(reply.getSection(Section.ANSWER)).isNotEmpty()
        .isEqualTo(addressReply(new DnsRequest(reply, CLIENT, false, 0), 200)
            .getSection(Section.ANSWER).subList(0, reply.getSection(Section.ANSWER).size()));
  }

  @Test
  void sendsLargeRepliesWholeOverTcp() {
    byte[] wire = process(query("web.skydns.local", Type.A).toWire(), true,
        request -> addressReply(request, 2000));

    Message reply = parse(wire);
    assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(reply.getSection(Section.ANSWER)).hasSize(2000);
  }

  @Test
  void answersServfailWhenAReplyExceeds65535BytesOverTcp() {
    byte[] wire = process(query("web.skydns.local", Type.TXT).toWire(), true, request -> {
      Message huge = replyTo(request);
      for (int i = 0; i < 300; i++) {
        huge.addRecord(new TXTRecord(request.qname(), DClass.IN, 30, "x".repeat(250) + i),
            Section.ANSWER);
      }
      return huge;
    });

    Message reply = parse(wire);
    assertThat(wire.length).isLessThanOrEqualTo(65535);
    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(reply.getHeader().getID()).isEqualTo(4242);
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void answersServfailWhenTheChainThrows() {
    Message reply = processUdp(query("web.skydns.local", Type.A), request -> {
      throw new IllegalStateException("boom");
    });

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(reply.getHeader().getID()).isEqualTo(4242);
    assertThat(reply.getQuestion()).isEqualTo(query("web.skydns.local", Type.A).getQuestion());
  }

  @Test
  void answersServfailWhenTheStageFails() {
    QueryProcessor processor = new QueryProcessor(
        request -> CompletableFuture.failedFuture(new IllegalStateException("upstream gone")), events);

    byte[] wire = processor.process(query("web.skydns.local", Type.A).toWire(), CLIENT, false)
        .toCompletableFuture().join();

    assertThat(parse(wire).getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void answersServfailWhenTheChainReturnsNoStage() {
    QueryProcessor processor = new QueryProcessor(request -> null, events);

    byte[] wire = processor.process(query("web.skydns.local", Type.A).toWire(), CLIENT, false)
        .toCompletableFuture().join();

    assertThat(parse(wire).getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void answersWhenALaterStageCompletes() throws Exception {
    CompletableFuture<Message> upstream = new CompletableFuture<>();
    QueryProcessor processor = new QueryProcessor(request -> upstream, events);
    Message query = query("web.skydns.local", Type.A);

    CompletableFuture<byte[]> pending = processor.process(query.toWire(), CLIENT, false).toCompletableFuture();
    assertThat(pending).isNotDone();
    upstream.complete(addressReply(new DnsRequest(query, CLIENT, false, 0), 1));

    assertThat(parse(pending.get(5, TimeUnit.SECONDS)).getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void dropsWhenTheChainRepliesNull() {
    assertThat(process(query("web.skydns.local", Type.A).toWire(), false, request -> null)).isNull();
    assertThat(events.dropped).containsExactly("resolver");
  }

  @Test
  void answersServfailWhenTheReplyCannotBeEncoded() throws Exception {
    // dnsjava 3.7.1 fails to serialise a WKS record with an empty service bitmap.
    WKSRecord broken = new WKSRecord(NAME, DClass.IN, 30,
        java.net.InetAddress.getByName("10.0.0.1"), 6, new int[0]);

    Message reply = processUdp(query("web.skydns.local", Type.WKS), request -> {
      Message withBroken = replyTo(request);
      withBroken.addRecord(broken, Section.ANSWER);
      return withBroken;
    });

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void neverModifiesTheResolversReply() {
    Message[] shared = new Message[1];
    processUdp(ednsQuery("web.skydns.local", Type.A, 512, false), request -> {
      shared[0] = addressReply(request, 100);
      return shared[0];
    });

    assertThat(shared[0].getSection(Section.ANSWER)).hasSize(100);
    assertThat(shared[0].getOPT()).isNull();
    assertThat(shared[0].getHeader().getFlag(Flags.TC)).isFalse();
  }
}
