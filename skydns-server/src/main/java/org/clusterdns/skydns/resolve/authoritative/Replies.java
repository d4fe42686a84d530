package org.clusterdns.skydns.resolve.authoritative;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns answers into reply messages (spec 5, 7.1): header and question copied from the query,
 * records grouped into RRsets.
 *
 * <p>Grouping does the message-level clean-up: identical records collapse, each RRset gets the
 * smallest TTL among its records (RFC 2181 5.2, per RRset only: unlike the original, a CNAME and
 * the addresses it leads to keep their own TTLs, and nothing is capped at the default TTL, spec
 * 19.11), and an owner keeps only its first CNAME. RA stays 0: this step does not recurse.
 */
final class Replies {
  private Replies() {}

  /** Returns an empty reply with {@code rcode}, not authoritative. */
  static Message error(DnsRequest request, int rcode) {
    Message reply = skeleton(request);
    reply.getHeader().setRcode(rcode);
    return reply;
  }

  /**
   * Returns the authoritative reply for {@code answer}: the records, or when there are none
   * NXDOMAIN/NODATA with the SOA from {@code soa} in the authority section (RFC 2308). The SOA is
   * built only for such empty answers.
   */
  static Message authoritative(DnsRequest request, Answer answer, Supplier<Record> soa) {
    Message reply = skeleton(request);
    reply.getHeader().setFlag(Flags.AA);
    if (answer.answer().isEmpty()) {
      reply.getHeader().setRcode(answer.nameExists() ? Rcode.NOERROR : Rcode.NXDOMAIN);
      reply.addRecord(soa.get(), Section.AUTHORITY);
      return reply;
    }
    addRRsets(reply, Section.ANSWER, answer.answer());
    addRRsets(reply, Section.ADDITIONAL, answer.additional());
    return reply;
  }

  /** Returns a reply holding {@code answer}, with AA as given. */
  static Message answer(DnsRequest request, List<Record> answer, boolean authoritative) {
    Message reply = skeleton(request);
    if (authoritative) {
      reply.getHeader().setFlag(Flags.AA);
    }
    addRRsets(reply, Section.ANSWER, answer);
    return reply;
  }

  private static Message skeleton(DnsRequest request) {
    return org.clusterdns.skydns.resolve.Replies.reply(request.query());
  }

  private record RRsetKey(Name owner, int type, int dclass) {}

  private static void addRRsets(Message reply, int section, List<Record> records) {
    Map<RRsetKey, RRset> rrsets = new LinkedHashMap<>();
    for (Record record : records) {
      if (section == Section.ADDITIONAL && reply.findRecord(record, Section.ANSWER)) {
        continue;
      }
      RRset rrset = rrsets.computeIfAbsent(
          new RRsetKey(record.getName(), record.getType(), record.getDClass()), key -> new RRset());
      if (record.getType() == Type.CNAME && rrset.size() > 0) {
        continue;
      }
      // RRset.addRR drops a record equal to one it holds and lowers the whole set to the smallest TTL.
      rrset.addRR(record);
    }
    for (RRset rrset : rrsets.values()) {
      for (Record record : rrset.rrs(false)) {
        reply.addRecord(record, section);
      }
    }
  }
}
