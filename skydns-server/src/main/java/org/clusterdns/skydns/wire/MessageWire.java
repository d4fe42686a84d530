package org.clusterdns.skydns.wire;

import java.util.Arrays;

/** Reads the layout of an encoded DNS message, and lowers its TTLs, without parsing it into objects. */
public final class MessageWire {
  private static final int HEADER = 12;
  private static final int OPT = 41;

  private MessageWire() {}

  /**
   * Returns the offsets of the TTL fields of every resource record of {@code wire} except OPT
   * (whose TTL field holds EDNS flags), or {@code null} when the message is not well formed.
   */
  public static int[] ttlOffsets(byte[] wire) {
    if (wire.length < HEADER) {
      return null;
    }
    int questions = count(wire, 4);
    int records = count(wire, 6) + count(wire, 8) + count(wire, 10);
    int position = HEADER;
    for (int i = 0; i < questions; i++) {
      position = skipName(wire, position);
      if (position < 0 || position + 4 > wire.length) {
        return null;
      }
      position += 4;
    }
    int[] offsets = new int[records];
    int found = 0;
    for (int i = 0; i < records; i++) {
      position = skipName(wire, position);
      if (position < 0 || position + 10 > wire.length) {
        return null;
      }
      if (count(wire, position) != OPT) {
        offsets[found++] = position + 4;
      }
      position += 10 + count(wire, position + 8);
      if (position > wire.length) {
        return null;
      }
    }
    return position == wire.length ? Arrays.copyOf(offsets, found) : null;
  }

  /** Lowers each TTL of {@code wire} at {@code offsets} by {@code seconds}, never below 0. */
  public static void lowerTtls(byte[] wire, int[] offsets, long seconds) {
    if (seconds <= 0) {
      return;
    }
    for (int offset : offsets) {
      long ttl = ((long) count(wire, offset) << 16) | count(wire, offset + 2);
      long lowered = Math.max(0, ttl - seconds);
      wire[offset] = (byte) (lowered >>> 24);
      wire[offset + 1] = (byte) (lowered >>> 16);
      wire[offset + 2] = (byte) (lowered >>> 8);
      wire[offset + 3] = (byte) lowered;
    }
  }

  /** Returns the position after the name at {@code position}, or -1 when it runs off the end. */
  private static int skipName(byte[] wire, int position) {
    while (position < wire.length) {
      int length = wire[position] & 0xFF;
      if (length == 0) {
        return position + 1;
      }
      if ((length & 0xC0) == 0xC0) {
        return position + 2 <= wire.length ? position + 2 : -1;
      }
      if ((length & 0xC0) != 0) {
        return -1; // extended label types are not used in replies
      }
      position += 1 + length;
    }
    return -1;
  }

  private static int count(byte[] wire, int offset) {
    return ((wire[offset] & 0xFF) << 8) | (wire[offset + 1] & 0xFF);
  }
}
