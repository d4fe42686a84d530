package org.clusterdns.skydns.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Reading dig's printed replies: what the end-to-end tests rely on to see what dig saw. */
class DigTest {
  private static final String SRV_REPLY = String.join("\n",
      ";; Got answer:",
      ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 40144",
      ";; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 2",
      ";; WARNING: recursion requested but not available",
      "",
      ";; OPT PSEUDOSECTION:",
      "; EDNS: version: 0, flags:; udp: 1232",
      ";; QUESTION SECTION:",
      ";East.skydns.local.\t\tIN\tSRV",
      "",
      ";; ANSWER SECTION:",
      "East.skydns.local.\t3600\tIN\tSRV\t10 100 8080 4.rails.staging.east.skydns.local.",
      "",
      ";; ADDITIONAL SECTION:",
      "4.rails.staging.east.skydns.local. 3600 IN A\t10.0.1.125",
      "");

  @Test
  void readsHeaderQuestionAndSectionsButNotTheOptPseudoSection() throws Exception {
    Message reply = Dig.parse(SRV_REPLY);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(reply.getHeader().getFlag(Flags.RA)).isFalse();
    assertThat(reply.getQuestion().getName().toString()).isEqualTo("East.skydns.local.");
    assertThat(reply.getQuestion().getType()).isEqualTo(Type.SRV);
    assertThat(reply.getSection(Section.ANSWER)).singleElement()
        .satisfies(record -> assertThat(record.rdataToString()).isEqualTo("10 100 8080 4.rails.staging.east.skydns.local."));
    assertThat(reply.getSection(Section.AUTHORITY)).isEmpty();
    assertThat(reply.getSection(Section.ADDITIONAL)).singleElement()
        .satisfies(record -> assertThat(record.getType()).isEqualTo(Type.A));
  }

  @Test
  void readsTheRcodeOfANegativeReply() throws Exception {
    Message reply = Dig.parse(String.join("\n",
        ";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 1",
        ";; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1",
        ";; QUESTION SECTION:",
        ";nothing.skydns.local.\t\tIN\tA",
        ";; AUTHORITY SECTION:",
        "skydns.local.\t60\tIN\tSOA\tns.dns.skydns.local. hostmaster.skydns.local. 1700000000 28800 7200 604800 60"));

    assertThat(reply.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(reply.getSection(Section.AUTHORITY)).singleElement()
        .satisfies(record -> assertThat(record.getTTL()).isEqualTo(60));
  }

  @Test
  void refusesOutputWithoutAReply() {
    assertThatThrownBy(() -> Dig.parse(";; communications error to 127.0.0.1#9: connection refused\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no reply header");
  }

  @Test
  void refusesARecordOutsideASection() {
    assertThatThrownBy(() -> Dig.parse("stray text\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stray text");
  }
}
