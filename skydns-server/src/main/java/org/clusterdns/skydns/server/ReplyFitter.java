package org.clusterdns.skydns.server;

import java.util.ArrayList;
import java.util.List;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Fits a reply to what the client can receive: the one place where EDNS0 is answered, sections are
 * cut and TC is set (STYLE.md item 11). Resolvers never truncate.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>EDNS0: a reply to a query with an OPT carries an OPT (the resolver's own if it made one,
 *       otherwise payload {@value #ADVERTISED_PAYLOAD_SIZE}, the query's DO bit, no options); a
 *       reply to a query without one carries none (RFC 6891 section 7).
 *   <li>A reply of at most {@code limit} bytes is sent as it is: an exact fit is a fit, unlike
 *       SkyDNS (spec section 19.19).
 *   <li>Otherwise the additional section is dropped, except the OPT. If that fits, no TC.
 *   <li>Over TCP a reply that still does not fit becomes SERVFAIL.
 *   <li>Over UDP TC is set and the answer and authority sections are cut from the end to the
 *       longest run of whole RRsets that fits; if not even the first RRset fits whole, the longest
 *       prefix of its records is kept, for clients that use a truncated answer rather than retry
 *       over TCP. The authority section counts, so a UDP reply never exceeds the limit (unlike
 *       SkyDNS, spec section 19.26).
 * </ol>
 *
 * <p>The reply passed in is never modified: it may be shared with a cache.
 */
final class ReplyFitter {
  /**
   * The UDP payload size this server advertises in its OPT records: the largest UDP reply it sends.
   */
  static final int ADVERTISED_PAYLOAD_SIZE = DnsRequest.MAX_UDP_SIZE;

  private static final Logger log = LoggerFactory.getLogger(ReplyFitter.class);

  /**
   * An encoded reply and the message it encodes.
   *
   * @param message the reply as sent (with OPT, possibly cut)
   * @param wire its wire form
   * @param truncated whether TC had to be set
   * @param complete whether the reply went out whole (nothing dropped, not replaced by SERVFAIL),
   *     so that it may be reused for another client
   */
  record Fitted(Message message, byte[] wire, boolean truncated, boolean complete) {}

  /**
   * Returns {@code reply} encoded to at most {@code limit} bytes, following the rules above.
   *
   * @param reply the complete reply from the resolver chain
   * @param queryOpt the query's OPT record, or {@code null} when the query had none
   * @param limit the largest reply the client accepts ({@code DnsRequest.maxReplySize()})
   * @param tcp whether the reply goes over TCP
   * @throws RuntimeException when dnsjava cannot encode a record of the reply
   */
  Fitted fit(Message reply, OPTRecord queryOpt, int limit, boolean tcp) {
    Message full = withEdns(reply, queryOpt);
    byte[] wire = full.toWire();
    if (wire.length <= limit) {
      return new Fitted(full, wire, false, true);
    }
    Message lean = withoutAdditional(full);
    wire = lean.toWire();
    if (wire.length <= limit) {
      return new Fitted(lean, wire, false, false);
    }
    if (tcp) {
      log.warn("reply to {} is {} bytes, too large even for TCP: answering SERVFAIL",
          reply.getQuestion() == null ? "?" : reply.getQuestion().getName(), wire.length);
      Message failure = withEdns(ErrorReplies.from(reply, Rcode.SERVFAIL), queryOpt);
      return new Fitted(failure, failure.toWire(), false, false);
    }
    return truncate(lean, limit);
  }

  private static Message withEdns(Message reply, OPTRecord queryOpt) {
    OPTRecord replyOpt = reply.getOPT();
    if (queryOpt == null && replyOpt != null) {
      Message copy = reply.clone();
      copy.removeRecord(replyOpt, Section.ADDITIONAL);
      return copy;
    }
    if (queryOpt != null && replyOpt == null) {
      Message copy = reply.clone();
      int dnssecOk = queryOpt.getFlags() & ExtendedFlags.DO;
      copy.addRecord(new OPTRecord(ADVERTISED_PAYLOAD_SIZE, 0, 0, dnssecOk), Section.ADDITIONAL);
      return copy;
    }
    return reply;
  }

  private static Message withoutAdditional(Message message) {
    Message copy = message.clone();
    copy.removeAllRecords(Section.ADDITIONAL);
    OPTRecord opt = message.getOPT();
    if (opt != null) {
      copy.addRecord(opt, Section.ADDITIONAL);
    }
    return copy;
  }

  /** Cuts answer and authority of {@code lean} (additional: at most the OPT) to fit, with TC. */
  private static Fitted truncate(Message lean, int limit) {
    List<Record> records = new ArrayList<>(lean.getSection(Section.ANSWER));
    int answers = records.size();
    records.addAll(lean.getSection(Section.AUTHORITY));

    // Adding records never shrinks a message, so the sizes of the prefixes are monotonic.
    int low = 0;
    int high = records.size() - 1;
    while (low < high) {
      int middle = (low + high + 1) >>> 1;
      if (withPrefix(lean, records, answers, middle).toWire().length <= limit) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    int keep = rrsetBoundaryAtOrBelow(records, answers, low);
    Message cut = withPrefix(lean, records, answers, keep > 0 ? keep : low);
    return new Fitted(cut, cut.toWire(), true, false);
  }

  private static Message withPrefix(Message lean, List<Record> records, int answers, int count) {
    Message copy = lean.clone();
    copy.removeAllRecords(Section.ANSWER);
    copy.removeAllRecords(Section.AUTHORITY);
    for (int i = 0; i < count; i++) {
      copy.addRecord(records.get(i), i < answers ? Section.ANSWER : Section.AUTHORITY);
    }
    copy.getHeader().setFlag(Flags.TC);
    return copy;
  }

  /** Returns the largest n <= count such that the first n records end with a whole RRset. */
  private static int rrsetBoundaryAtOrBelow(List<Record> records, int answers, int count) {
    for (int n = count; n > 0; n--) {
      if (startsRrset(records, answers, n)) {
        return n;
      }
    }
    return 0;
  }

  private static boolean startsRrset(List<Record> records, int answers, int index) {
    if (index == answers) {
      return true;
    }
    Record previous = records.get(index - 1);
    Record current = records.get(index);
    return current.getRRsetType() != previous.getRRsetType()
        || current.getDClass() != previous.getDClass()
        || !current.getName().equals(previous.getName());
  }
}
