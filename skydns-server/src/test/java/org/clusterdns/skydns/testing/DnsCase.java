package org.clusterdns.skydns.testing;

import java.net.InetSocketAddress;
import java.util.List;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * One question and the reply it must get, written as zone-file text: the Java form of CoreDNS's
 * {@code test.Case}. Sections are compared after sorting (see {@link DnsAssertions}); a record
 * line without a TTL matches any TTL.
 *
 * <pre>{@code
 * DnsCase.of("A of an IP service", "4.rails.staging.east.skydns.local.", Type.A)
 *     .answer("4.rails.staging.east.skydns.local. 3600 IN A 10.0.1.125")
 * }</pre>
 *
 * @param name what the case checks, shown as the test's name
 * @param qname the question name, in the case the query uses
 * @param qtype the question type
 * @param qclass the question class
 * @param rcode the expected rcode
 * @param aa the expected AA flag
 * @param answer the expected answer section, one record per line
 * @param authority the expected authority section
 * @param additional the expected additional section
 */
public record DnsCase(
    String name,
    String qname,
    int qtype,
    int qclass,
    int rcode,
    boolean aa,
    List<String> answer,
    List<String> authority,
    List<String> additional) {

  /** Copies the sections so a case is immutable. */
  public DnsCase {
    answer = List.copyOf(answer);
    authority = List.copyOf(authority);
    additional = List.copyOf(additional);
  }

  /** Returns a case expecting an authoritative NOERROR reply with empty sections, class IN. */
  public static DnsCase of(String name, String qname, int qtype) {
    return new DnsCase(name, qname, qtype, DClass.IN, Rcode.NOERROR, true, List.of(), List.of(), List.of());
  }

  /** Returns a copy asking in {@code qclass}. */
  public DnsCase qclass(int qclass) {
    return new DnsCase(name, qname, qtype, qclass, rcode, aa, answer, authority, additional);
  }

  /** Returns a copy expecting {@code rcode}. */
  public DnsCase rcode(int rcode) {
    return new DnsCase(name, qname, qtype, qclass, rcode, aa, answer, authority, additional);
  }

  /** Returns a copy expecting the AA flag as given. */
  public DnsCase aa(boolean aa) {
    return new DnsCase(name, qname, qtype, qclass, rcode, aa, answer, authority, additional);
  }

  /** Returns a copy expecting these answer records. */
  public DnsCase answer(String... records) {
    return new DnsCase(name, qname, qtype, qclass, rcode, aa, List.of(records), authority, additional);
  }

  /** Returns a copy expecting these authority records. */
  public DnsCase authority(String... records) {
    return new DnsCase(name, qname, qtype, qclass, rcode, aa, answer, List.of(records), additional);
  }

  /** Returns a copy expecting these additional records. */
  public DnsCase additional(String... records) {
    return new DnsCase(name, qname, qtype, qclass, rcode, aa, answer, authority, List.of(records));
  }

  /** Returns the query message: one question, RD set, as a stub resolver sends it. */
  public Message query() {
    try {
      return Message.newQuery(Record.newRecord(Name.fromString(qname), qtype, qclass));
    } catch (TextParseException e) {
      throw new IllegalArgumentException("case '" + name + "' has an invalid qname: " + qname, e);
    }
  }

  /** Returns the query as a resolver receives it, from a loopback UDP client. */
  public DnsRequest request() {
    return new DnsRequest(query(), new InetSocketAddress("127.0.0.1", 53000), false, System.nanoTime());
  }

  /** Returns the case's name, so parameterized tests are listed by what they check. */
  @Override
  public String toString() {
    return name;
  }
}
