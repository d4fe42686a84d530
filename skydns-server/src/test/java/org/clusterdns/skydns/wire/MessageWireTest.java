package org.clusterdns.skydns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.clusterdns.skydns.testing.DnsAssertions;
import org.clusterdns.skydns.testing.DnsCase;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class MessageWireTest {

  @Test
  void findsTheTtlOfEveryRecordButTheOpt() {
    Message reply = reply("web.skydns.local. 30 IN A 10.0.0.1");
    reply.addRecord(DnsAssertions.parse(List.of("other.example.org. 30 IN A 10.0.0.2")).get(0), Section.AUTHORITY);
    reply.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    byte[] wire = reply.toWire();

    int[] offsets = MessageWire.ttlOffsets(wire);

    assertThat(offsets).hasSize(2);
    for (int offset : offsets) {
      int ttl = ((wire[offset] & 0xFF) << 24) | ((wire[offset + 1] & 0xFF) << 16)
          | ((wire[offset + 2] & 0xFF) << 8) | (wire[offset + 3] & 0xFF);
      assertThat(ttl).isEqualTo(30);
    }
  }

  @Test
  void malformedMessagesHaveNoOffsets() {
    byte[] wire = reply("web.skydns.local. 30 IN A 10.0.0.1").toWire();

    assertThat(MessageWire.ttlOffsets(Arrays.copyOf(wire, wire.length - 1))).as("cut short").isNull();
    assertThat(MessageWire.ttlOffsets(Arrays.copyOf(wire, wire.length + 1))).as("trailing byte").isNull();
    assertThat(MessageWire.ttlOffsets(new byte[5])).as("no header").isNull();
    byte[] extendedLabel = wire.clone();
    extendedLabel[12] = 0x41;
    assertThat(MessageWire.ttlOffsets(extendedLabel)).isNull();
  }

  @Test
  void lowersTtlsButNeverBelowZero() throws Exception {
    byte[] wire = reply("web.skydns.local. 30 IN A 10.0.0.1", "web.skydns.local. 5 IN A 10.0.0.2").toWire();

    MessageWire.lowerTtls(wire, MessageWire.ttlOffsets(wire), 7);

    assertThat(new Message(wire).getSection(Section.ANSWER)).extracting(Record::getTTL).containsExactly(23L, 0L);
  }

  private static Message reply(String... answer) {
    Message reply = DnsCase.of("", "web.skydns.local.", Type.A).query();
    for (Record record : DnsAssertions.parse(List.of(answer))) {
      reply.addRecord(record, Section.ANSWER);
    }
    return reply;
  }
}
