package org.clusterdns.skydns.resolve;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/** Builds reply skeletons: the one place that decides which header bits a reply copies. */
public final class Replies {
  private Replies() {}

  /**
   * Returns an empty reply to {@code query}: same ID and opcode, QR set, RD and CD copied, the
   * (first) question copied as the client wrote it (its case kept). Nothing else is set.
   */
  public static Message reply(Message query) {
    Header queryHeader = query.getHeader();
    Header header = new Header(queryHeader.getID());
    header.setFlag(Flags.QR);
    header.setOpcode(queryHeader.getOpcode());
    if (queryHeader.getFlag(Flags.RD)) {
      header.setFlag(Flags.RD);
    }
    if (queryHeader.getFlag(Flags.CD)) {
      header.setFlag(Flags.CD);
    }
    Message reply = new Message();
    reply.setHeader(header);
    if (query.getQuestion() != null) {
      reply.addRecord(query.getQuestion(), Section.QUESTION);
    }
    return reply;
  }
}
