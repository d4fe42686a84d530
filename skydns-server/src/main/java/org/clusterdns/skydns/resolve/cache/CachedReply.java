package org.clusterdns.skydns.resolve.cache;

import java.io.IOException;
import org.clusterdns.skydns.wire.MessageWire;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One reply as the cache keeps it: encoded once, without its OPT record, with the position of
 * every TTL, so that reusing it means copying bytes, patching them for the new client and parsing
 * them. Keeping bytes rather than a {@link Message} means that nothing handed out shares state with
 * what is kept, and that an entry's memory is its length.
 *
 * <p>The OPT is left out because it belongs to one exchange (an upstream's payload size, cookies
 * and other options); the transport gives every reply the OPT its client should see. Only replies
 * whose rcode fits the header (NOERROR, NXDOMAIN) are kept, so no extended rcode is lost with it.
 *
 * @implNote Immutable and thread-safe.
 */
final class CachedReply {
  /**
   * The largest reply kept, encoded without OPT: the common EDNS0 buffer size before DNS flag day
   * 2020. Larger replies travel over TCP only and are rare in cluster DNS; leaving them out bounds
   * the cache's memory to its capacity times this size (plus a small overhead per entry).
   */
  static final int MAX_BYTES = 4096;

  private static final int HEADER = 12;
  private static final int RD = 0x01;
  private static final int CD = 0x10;

  private final byte[] wire;
  private final int[] ttlOffsets;

  private CachedReply(byte[] wire, int[] ttlOffsets) {
    this.wire = wire;
    this.ttlOffsets = ttlOffsets;
  }

  /**
   * Encodes {@code reply} for keeping, or returns {@code null} when it cannot be kept: it is larger
   * than {@value #MAX_BYTES} bytes without OPT, has an OPT outside the additional section, or has
   * not exactly one question.
   *
   * @throws RuntimeException when dnsjava cannot encode a record of the reply
   */
  static CachedReply encode(Message reply) {
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record record : reply.getSection(section)) {
        if (record.getType() == Type.OPT) {
          return null;
        }
      }
    }
    Message copy = reply.clone();
    copy.removeAllRecords(Section.ADDITIONAL);
    for (Record record : reply.getSection(Section.ADDITIONAL)) {
      if (record.getType() != Type.OPT) {
        copy.addRecord(record, Section.ADDITIONAL);
      }
    }
    byte[] wire = copy.toWire();
    return wire.length > MAX_BYTES ? null : layout(wire);
  }

  /**
   * Returns a fresh reply to {@code query}: its ID, RD and CD bits and question name (so the
   * client's case comes back, also in owner names compressed against it), every TTL lowered by
   * {@code elapsedSeconds}. Returns {@code null} if dnsjava cannot read back what it wrote.
   *
   * @param query a query whose question equals the kept one but for the case of its name, so that
   *     the names have the same length
   */
  Message replyTo(Message query, long elapsedSeconds) {
    byte[] name = query.getQuestion().getName().toWire();
    byte[] bytes = wire.clone();
    Header header = query.getHeader();
    int id = header.getID();
    bytes[0] = (byte) (id >>> 8);
    bytes[1] = (byte) id;
    bytes[2] = (byte) ((bytes[2] & ~RD) | (header.getFlag(Flags.RD) ? RD : 0));
    bytes[3] = (byte) ((bytes[3] & ~CD) | (header.getFlag(Flags.CD) ? CD : 0));
    // The question name comes first in a message, so it is never compressed.
    System.arraycopy(name, 0, bytes, HEADER, name.length);
    MessageWire.lowerTtls(bytes, ttlOffsets, elapsedSeconds);
    try {
      return new Message(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  /** Returns {@code wire} with the position of its TTLs, or {@code null} unless it has one question. */
  private static CachedReply layout(byte[] wire) {
    if (wire.length < HEADER || ((wire[4] & 0xFF) << 8 | (wire[5] & 0xFF)) != 1) {
      return null;
    }
    int[] offsets = MessageWire.ttlOffsets(wire);
    return offsets == null ? null : new CachedReply(wire, offsets);
  }
}
