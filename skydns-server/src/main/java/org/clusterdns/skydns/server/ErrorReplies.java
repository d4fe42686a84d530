package org.clusterdns.skydns.server;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.clusterdns.skydns.resolve.Replies;

/**
 * Builds the replies the transport sends on its own (FORMERR, NOTIMP, SERVFAIL): a fresh message
 * echoing the ID, opcode, RD and CD of the query and its first question when there is one, with AA
 * and RA clear.
 */
final class ErrorReplies {
  private ErrorReplies() {}

  /** Returns an error reply to {@code source}, a parsed query or a reply that echoes it. */
  static Message from(Message source, int rcode) {
    Message reply = Replies.reply(source);
    reply.getHeader().setRcode(rcode);
    return reply;
  }

  /** Returns an error reply without a question, for a query whose header alone could be read. */
  static Message fromHeader(int id, int opcode, boolean rd, boolean cd, int rcode) {
    Message reply = new Message(id);
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setOpcode(opcode);
    if (rd) {
      reply.getHeader().setFlag(Flags.RD);
    }
    if (cd) {
      reply.getHeader().setFlag(Flags.CD);
    }
    reply.getHeader().setRcode(rcode);
    return reply;
  }
}
