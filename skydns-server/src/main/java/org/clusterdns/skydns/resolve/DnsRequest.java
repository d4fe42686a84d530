package org.clusterdns.skydns.resolve;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;

/**
 * A well-formed query as a resolver sees it, with the facts every step needs derived once.
 *
 * @param query the parsed query message (never modified by resolvers)
 * @param client the client's address and port
 * @param tcp whether the query came over TCP
 * @param receivedNanos {@link System#nanoTime()} when the query arrived, for latency metrics
 */
public record DnsRequest(Message query, InetSocketAddress client, boolean tcp, long receivedNanos) {
  /** The UDP payload size assumed for clients without EDNS0 (RFC 1035). */
  public static final int CLASSIC_UDP_SIZE = 512;
  /**
   * The largest UDP reply, whatever payload size the client claims; also the payload size the
   * server advertises. It is the DNS flag day 2020 value: it fits the IPv6 minimum MTU without
   * fragments, and it keeps a small query from drawing a large reply (amplification). Clients that
   * need more retry over TCP after TC.
   */
  public static final int MAX_UDP_SIZE = 1232;
  /** The largest DNS message a TCP frame can carry. */
  public static final int TCP_MAX_SIZE = 65535;

  /** Checks that the query has a question. */
  public DnsRequest {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(query.getQuestion(), "query has no question");
  }

  /** Returns the question record. */
  public Record question() {
    return query.getQuestion();
  }

  /** Returns the question name in the client's case. */
  public Name qname() {
    return query.getQuestion().getName();
  }

  /** Returns the question name lower-cased, in absolute presentation form: the name lookups use. */
  public String lname() {
    return qname().toString().toLowerCase(Locale.ROOT);
  }

  /** Returns the question type. */
  public int qtype() {
    return query.getQuestion().getType();
  }

  /** Returns the question class. */
  public int qclass() {
    return query.getQuestion().getDClass();
  }

  /** Returns whether the query carries an EDNS0 OPT record. */
  public boolean edns() {
    return query.getOPT() != null;
  }

  /** Returns whether the client set the DNSSEC OK bit. */
  public boolean dnssecOk() {
    OPTRecord opt = query.getOPT();
    return opt != null && (opt.getFlags() & org.xbill.DNS.ExtendedFlags.DO) != 0;
  }

  /**
   * Returns how large a reply may be: 65535 over TCP; over UDP 512 without EDNS0, otherwise
   * {@link #udpLimit} of the client's EDNS0 payload size.
   */
  public int maxReplySize() {
    if (tcp) {
      return TCP_MAX_SIZE;
    }
    OPTRecord opt = query.getOPT();
    return opt == null ? CLASSIC_UDP_SIZE : udpLimit(opt.getPayloadSize());
  }

  /**
   * Returns the UDP reply limit for a client claiming {@code payloadSize} in its OPT record: that
   * size raised to at least 512 (RFC 6891 section 6.2.5) and lowered to at most
   * {@value #MAX_UDP_SIZE}.
   */
  public static int udpLimit(int payloadSize) {
    return Math.min(Math.max(CLASSIC_UDP_SIZE, payloadSize), MAX_UDP_SIZE);
  }
}
