package org.clusterdns.skydns.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The checker itself: it must reject every kind of difference it claims to see. */
class DnsAssertionsTest {
  private static final DnsCase CASE = DnsCase.of("two addresses", "a.Example.", Type.A)
      .answer("a.Example. 30 IN A 10.0.0.1", "a.Example. 30 IN A 10.0.0.2");

  private static Message reply(String owner, long ttl, boolean aa, int rcode) throws Exception {
    Message reply = new Message(CASE.query().getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    if (aa) {
      reply.getHeader().setFlag(Flags.AA);
    }
    reply.getHeader().setRcode(rcode);
    reply.addRecord(CASE.query().getQuestion(), Section.QUESTION);
    // Reverse order on purpose: sections are compared sorted.
    reply.addRecord(new ARecord(Name.fromString(owner), DClass.IN, ttl, InetAddress.getByName("10.0.0.2")), Section.ANSWER);
    reply.addRecord(new ARecord(Name.fromString(owner), DClass.IN, ttl, InetAddress.getByName("10.0.0.1")), Section.ANSWER);
    return reply;
  }

  @Test
  void matchingReplyInAnotherOrderPasses() throws Exception {
    assertThatCode(() -> DnsAssertions.assertMatches(reply("a.Example.", 30, true, Rcode.NOERROR), CASE))
        .doesNotThrowAnyException();
  }

  @Test
  void differentTtlFails() throws Exception {
    assertThatThrownBy(() -> DnsAssertions.assertMatches(reply("a.Example.", 31, true, Rcode.NOERROR), CASE))
        .isInstanceOf(AssertionError.class).hasMessageContaining("TTL");
  }

  @Test
  void lineWithoutTtlMatchesAnyTtl() throws Exception {
    DnsCase anyTtl = CASE.answer("a.Example. IN A 10.0.0.1", "a.Example. IN A 10.0.0.2");
    assertThatCode(() -> DnsAssertions.assertMatches(reply("a.Example.", 31, true, Rcode.NOERROR), anyTtl))
        .doesNotThrowAnyException();
  }

  @Test
  void ownerInAnotherCaseFails() throws Exception {
    assertThatThrownBy(() -> DnsAssertions.assertMatches(reply("a.example.", 30, true, Rcode.NOERROR), CASE))
        .isInstanceOf(AssertionError.class).hasMessageContaining("ANSWERS section");
  }

  @Test
  void missingOrExtraRecordFails() throws Exception {
    DnsCase one = CASE.answer("a.Example. 30 IN A 10.0.0.1");
    assertThatThrownBy(() -> DnsAssertions.assertMatches(reply("a.Example.", 30, true, Rcode.NOERROR), one))
        .isInstanceOf(AssertionError.class);
    DnsCase three = CASE.answer("a.Example. 30 IN A 10.0.0.1", "a.Example. 30 IN A 10.0.0.2",
        "a.Example. 30 IN A 10.0.0.3");
    assertThatThrownBy(() -> DnsAssertions.assertMatches(reply("a.Example.", 30, true, Rcode.NOERROR), three))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void wrongFlagsOrRcodeFail() throws Exception {
    assertThatThrownBy(() -> DnsAssertions.assertMatches(reply("a.Example.", 30, false, Rcode.NOERROR), CASE))
        .isInstanceOf(AssertionError.class).hasMessageContaining("AA");
    assertThatThrownBy(() -> DnsAssertions.assertMatches(reply("a.Example.", 30, true, Rcode.NXDOMAIN), CASE))
        .isInstanceOf(AssertionError.class).hasMessageContaining("rcode");
  }

  @Test
  void unexpectedRecordsInOtherSectionsFail() throws Exception {
    Message reply = reply("a.Example.", 30, true, Rcode.NOERROR);
    reply.addRecord(new ARecord(Name.fromString("ns.Example."), DClass.IN, 30,
        InetAddress.getByName("10.0.0.9")), Section.ADDITIONAL);
    assertThatThrownBy(() -> DnsAssertions.assertMatches(reply, CASE))
        .isInstanceOf(AssertionError.class).hasMessageContaining("ADDITIONAL RECORDS section");
  }

  @Test
  void malformedExpectedLineIsReported() {
    assertThatThrownBy(() -> DnsAssertions.parse(List.of("not a record")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a record");
  }
}
