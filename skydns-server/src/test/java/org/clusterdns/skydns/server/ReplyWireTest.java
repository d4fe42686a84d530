package org.clusterdns.skydns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusterdns.skydns.server.TestMessages.a;
import static org.clusterdns.skydns.server.TestMessages.name;
import static org.clusterdns.skydns.server.TestMessages.query;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ReplyWireTest {

  @Test
  void findsTheTtlOfEveryRecordButTheOpt() {
    Message reply = query("web.skydns.local", Type.A);
    reply.addRecord(a(name("web.skydns.local"), 10, 0, 0, 1), Section.ANSWER);
    reply.addRecord(a(name("other.example.org"), 10, 0, 0, 2), Section.AUTHORITY);
    reply.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    byte[] wire = reply.toWire();

    int[] offsets = ReplyWire.ttlOffsets(wire);

    assertThat(offsets).hasSize(2);
    for (int offset : offsets) {
      int ttl = ((wire[offset] & 0xFF) << 24) | ((wire[offset + 1] & 0xFF) << 16)
          | ((wire[offset + 2] & 0xFF) << 8) | (wire[offset + 3] & 0xFF);
      assertThat(ttl).isEqualTo(30);
    }
  }

  @Test
  void malformedMessagesHaveNoOffsets() {
    Message reply = query("web.skydns.local", Type.A);
    reply.addRecord(a(name("web.skydns.local"), 10, 0, 0, 1), Section.ANSWER);
    byte[] wire = reply.toWire();

    assertThat(ReplyWire.ttlOffsets(Arrays.copyOf(wire, wire.length - 1))).as("cut short").isNull();
    assertThat(ReplyWire.ttlOffsets(Arrays.copyOf(wire, wire.length + 1))).as("trailing byte").isNull();
    assertThat(ReplyWire.ttlOffsets(new byte[5])).as("no header").isNull();
    byte[] extendedLabel = wire.clone();
    extendedLabel[12] = 0x41;
    assertThat(ReplyWire.ttlOffsets(extendedLabel)).isNull();
  }
}
