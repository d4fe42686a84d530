package org.clusterdns.skydns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.clusterdns.skydns.resolve.Replies;
import org.clusterdns.skydns.testing.DnsAssertions;
import org.clusterdns.skydns.testing.DnsCase;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Which replies the transport's answer cache may reuse. */
class ReusableRepliesTest {
  private static final Name DOMAIN = Name.fromConstantString("cluster.local.");

  @Test
  void authoritativeAnswersAndDenialsForTheDomainAreReused() {
    assertThat(SkyDnsServer.isReusable(reply("web.shop.svc.cluster.local.", true, Rcode.NOERROR,
        "web.shop.svc.cluster.local. 30 IN A 10.96.0.1"), DOMAIN, true)).isTrue();
    assertThat(SkyDnsServer.isReusable(reply("gone.shop.svc.cluster.local.", true, Rcode.NXDOMAIN), DOMAIN, true))
        .isTrue();
  }

  @Test
  void forwardedRepliesAreNotEvenWhenTheUpstreamSetAa() {
    assertThat(SkyDnsServer.isReusable(reply("www.example.org.", true, Rcode.NOERROR,
        "www.example.org. 300 IN A 192.0.2.1"), DOMAIN, true)).isFalse();
    assertThat(SkyDnsServer.isReusable(reply("www.example.org.", false, Rcode.NOERROR,
        "www.example.org. 300 IN A 192.0.2.1"), DOMAIN, true)).isFalse();
  }

  @Test
  void errorsAndShuffledAddressesAreNot() {
    assertThat(SkyDnsServer.isReusable(reply("web.cluster.local.", true, Rcode.SERVFAIL), DOMAIN, true)).isFalse();
    Message two = reply("web.cluster.local.", true, Rcode.NOERROR,
        "web.cluster.local. 30 IN A 10.0.0.1", "web.cluster.local. 30 IN A 10.0.0.2");
    assertThat(SkyDnsServer.isReusable(two, DOMAIN, true)).as("round robin on").isFalse();
    assertThat(SkyDnsServer.isReusable(two, DOMAIN, false)).as("round robin off").isTrue();
  }

  private static Message reply(String name, boolean aa, int rcode, String... answer) {
    Message reply = Replies.reply(DnsCase.of("", name, Type.A).query());
    if (aa) {
      reply.getHeader().setFlag(Flags.AA);
    }
    reply.getHeader().setRcode(rcode);
    for (Record record : DnsAssertions.parse(List.of(answer))) {
      reply.addRecord(record, Section.ANSWER);
    }
    return reply;
  }
}
