package org.clusterdns.skydns.resolve.forward;

import java.util.Objects;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * What is asked of an upstream server: the question and the header and EDNS bits that change the
 * answer. Equal questions (names compare case-insensitively, as dnsjava's {@link Name} does) are
 * one question, so concurrent ones are sent once.
 *
 * @param name the name asked for
 * @param type the record type
 * @param dclass the class
 * @param recursionDesired the RD bit to send
 * @param checkingDisabled the CD bit to send
 * @param dnssecOk the DO bit to send
 */
public record UpstreamQuestion(
    Name name, int type, int dclass, boolean recursionDesired, boolean checkingDisabled, boolean dnssecOk) {

  /** Checks the name. */
  public UpstreamQuestion {
    Objects.requireNonNull(name, "name");
  }

  /** Returns the question of a client's request, with its RD, CD and DO bits. */
  public static UpstreamQuestion of(DnsRequest request) {
    return new UpstreamQuestion(request.qname(), request.qtype(), request.qclass(),
        request.query().getHeader().getFlag(Flags.RD), request.query().getHeader().getFlag(Flags.CD),
        request.dnssecOk());
  }

  /**
   * Returns whether questions of {@code type} may be sent upstream: not zone transfers and other
   * meta types (AXFR, IXFR, MAILA, MAILB, TSIG, TKEY), which are not lookups and could pull whole
   * zones through this server.
   */
  public static boolean isForwardable(int type) {
    return type != Type.AXFR && type != Type.IXFR && type != Type.MAILA && type != Type.MAILB
        && type != Type.TSIG && type != Type.TKEY;
  }

  /** Returns a recursive IN question for {@code name} and {@code type}, as this server asks on its own. */
  public static UpstreamQuestion recursive(Name name, int type, boolean dnssecOk) {
    return new UpstreamQuestion(name, type, DClass.IN, true, false, dnssecOk);
  }
}
