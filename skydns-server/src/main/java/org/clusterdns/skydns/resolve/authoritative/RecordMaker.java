package org.clusterdns.skydns.resolve.authoritative;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clusterdns.skydns.backend.ServiceEntry;
import org.clusterdns.skydns.config.AnswerConfig;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TTL;
import org.xbill.DNS.Type;

/**
 * Builds the DNS records of stored services: TTLs per spec 10, 16-bit fields wrapped as SkyDNS
 * does, TXT payloads cut into 255-byte strings, and the zone's SOA.
 */
final class RecordMaker {
  private static final int TXT_PIECE = 255;
  private static final int MAX_RDATA = 65535;
  private static final long SOA_REFRESH = 28800;
  private static final long SOA_RETRY = 7200;
  private static final long SOA_EXPIRE = 604800;

  private final AnswerConfig config;
  private final Name apex;
  private final Name soaHost;
  private final Name hostmaster;

  /** @throws IllegalArgumentException when the configured domain or hostmaster is not a valid name */
  RecordMaker(AnswerConfig config) {
    this.config = config;
    this.apex = valid(config.domain(), "domain");
    this.soaHost = valid(config.nsName(), "domain");
    this.hostmaster = valid(config.hostmaster(), "hostmaster");
  }

  private static Name valid(String name, String setting) {
    return Names.parse(name).orElseThrow(
        () -> new IllegalArgumentException(setting + " is not a valid DNS name: " + name));
  }

  /** Returns the apex of the served domain. */
  Name apex() {
    return apex;
  }

  /**
   * Returns the TTL to answer {@code service} with at {@code nowMillis}, limited to the largest TTL
   * RFC 2181 allows (a stored ttl may use all 32 bits).
   */
  long ttl(ServiceEntry service, long nowMillis) {
    return Math.min(service.effectiveTtl(config.defaultTtl(), nowMillis), TTL.MAX_VALUE);
  }

  /** Returns the priority SRV and MX carry: the stored one, or the default when it is 0. */
  int priority(ServiceEntry service) {
    int priority = service.record().priority();
    return (priority == 0 ? config.defaultPriority() : priority) & 0xFFFF;
  }

  /** Returns an A or AAAA record, whichever the address family calls for. */
  Record address(Name owner, InetAddress address, long ttl) {
    return address instanceof Inet4Address
        ? new ARecord(owner, DClass.IN, ttl, address)
        : new AAAARecord(owner, DClass.IN, ttl, address);
  }

  Record cname(Name owner, Name target, long ttl) {
    return new CNAMERecord(owner, DClass.IN, ttl, target);
  }

  Record srv(Name owner, int priority, int weight, int port, Name target, long ttl) {
    return new SRVRecord(owner, DClass.IN, ttl, priority, weight & 0xFFFF, port & 0xFFFF, target);
  }

  Record mx(Name owner, int preference, Name exchange, long ttl) {
    return new MXRecord(owner, DClass.IN, ttl, preference, exchange);
  }

  Record ns(Name owner, Name target, long ttl) {
    return new NSRecord(owner, DClass.IN, ttl, target);
  }

  Record ptr(Name owner, Name target, long ttl) {
    return new PTRRecord(owner, DClass.IN, ttl, target);
  }

  /**
   * Returns a TXT record carrying {@code text} byte for byte (UTF-8), cut into 255-byte strings.
   * Built from wire data because dnsjava's string constructor would interpret backslashes and
   * quotes; a length that is an exact multiple of 255 gets no trailing empty string (spec 19.18).
   * Empty when the text is too long for one record's 65535 bytes of data.
   */
  Optional<Record> txt(Name owner, String text, long ttl) {
    byte[] rdata = txtRdata(text);
    if (rdata.length > MAX_RDATA) {
      return Optional.empty();
    }
    return Optional.of(Record.newRecord(owner, Type.TXT, DClass.IN, ttl, rdata));
  }

  static byte[] txtRdata(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<byte[]> pieces = new ArrayList<>(bytes.length / TXT_PIECE + 1);
    for (int start = 0; start < bytes.length; start += TXT_PIECE) {
      int end = Math.min(bytes.length, start + TXT_PIECE);
      byte[] piece = new byte[end - start + 1];
      piece[0] = (byte) (end - start);
      System.arraycopy(bytes, start, piece, 1, end - start);
      pieces.add(piece);
    }
    byte[] rdata = new byte[pieces.stream().mapToInt(piece -> piece.length).sum()];
    int at = 0;
    for (byte[] piece : pieces) {
      System.arraycopy(piece, 0, rdata, at, piece.length);
      at += piece.length;
    }
    return rdata;
  }

  /**
   * Returns the zone's SOA (spec 8.11) with {@code ttl}, limited to the largest TTL RFC 2181 allows
   * (the configured TTLs may use all 32 bits; the MINIMUM field keeps them whole, it is unsigned);
   * the serial is the current Unix time rounded down to the hour, so all replicas agree without
   * coordination.
   */
  Record soa(long ttl, long nowMillis) {
    long serial = Math.floorDiv(nowMillis, 3_600_000L) * 3600L;
    return new SOARecord(apex, DClass.IN, Math.min(ttl, TTL.MAX_VALUE), soaHost, hostmaster,
        serial & 0xFFFF_FFFFL,
        SOA_REFRESH, SOA_RETRY, SOA_EXPIRE, config.minTtl());
  }
}
