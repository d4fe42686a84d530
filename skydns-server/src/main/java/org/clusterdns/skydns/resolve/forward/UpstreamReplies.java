package org.clusterdns.skydns.resolve.forward;

import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Replies;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Turns what upstream servers said into the replies a client gets. */
public final class UpstreamReplies {
  private UpstreamReplies() {}

  /**
   * Returns the client's reply carrying {@code upstream}'s answer: the client's ID, question (in
   * the client's case), RD and CD; the upstream's rcode, AA and RA, and AD only when the client
   * asked for DNSSEC (DO or AD, RFC 6840 5.8); every record but the upstream's OPT, which is the
   * upstream's own business (the transport adds this server's OPT for EDNS clients).
   */
  public static Message relay(DnsRequest request, Message upstream) {
    Message reply = Replies.reply(request.query());
    Header header = reply.getHeader();
    Header upstreamHeader = upstream.getHeader();
    header.setRcode(upstreamHeader.getRcode());
    copyFlag(upstreamHeader, header, Flags.AA);
    copyFlag(upstreamHeader, header, Flags.RA);
    if (request.dnssecOk() || request.query().getHeader().getFlag(Flags.AD)) {
      copyFlag(upstreamHeader, header, Flags.AD);
    }
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record record : upstream.getSection(section)) {
        if (record.getType() != Type.OPT) {
          reply.addRecord(record, section);
        }
      }
    }
    return reply;
  }

  /** Returns SERVFAIL for a question no upstream server answered; RA says recursion is offered. */
  public static Message failure(DnsRequest request) {
    return error(request, Rcode.SERVFAIL, true);
  }

  /** Returns an error reply with {@code rcode}, RA as given. */
  public static Message error(DnsRequest request, int rcode, boolean recursionAvailable) {
    Message reply = Replies.reply(request.query());
    reply.getHeader().setRcode(rcode);
    if (recursionAvailable) {
      reply.getHeader().setFlag(Flags.RA);
    }
    return reply;
  }

  private static void copyFlag(Header from, Header to, int flag) {
    if (from.getFlag(flag)) {
      to.setFlag(flag);
    }
  }
}
