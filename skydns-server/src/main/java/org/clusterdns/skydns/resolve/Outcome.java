package org.clusterdns.skydns.resolve;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What a reply says, classified once and reused by cache, metrics and tests.
 */
public enum Outcome {
  /** NOERROR with answers. */
  NOERROR,
  /** The name does not exist (rcode 3). */
  NXDOMAIN,
  /** The name exists but has no data of the asked type: NOERROR, empty answer, no referral. */
  NODATA,
  /** NOERROR, empty answer, NS records in the authority section and no AA: a delegation. */
  REFERRAL,
  /** The server failed (rcode 2). */
  SERVFAIL,
  /** The query was refused (rcode 5). */
  REFUSED,
  /** Any other rcode (FORMERR, NOTIMP, ...). */
  OTHER_ERROR;

  /** Classifies {@code reply}. */
  public static Outcome of(Message reply) {
    int rcode = reply.getRcode();
    switch (rcode) {
      case Rcode.NOERROR:
        if (reply.getSectionArray(Section.ANSWER).length > 0) {
          return NOERROR;
        }
        if (!reply.getHeader().getFlag(Flags.AA)) {
          for (org.xbill.DNS.Record record : reply.getSectionArray(Section.AUTHORITY)) {
            if (record.getType() == Type.NS) {
              return REFERRAL;
            }
          }
        }
        return NODATA;
      case Rcode.NXDOMAIN:
        return NXDOMAIN;
      case Rcode.SERVFAIL:
        return SERVFAIL;
      case Rcode.REFUSED:
        return REFUSED;
      default:
        return OTHER_ERROR;
    }
  }
}
