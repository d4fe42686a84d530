package org.clusterdns.skydns.server;

import java.util.Arrays;

/** Reads the layout of an encoded DNS message without parsing it into objects. */
final class ReplyWire {
  private static final int HEADER = 12;
  private static final int OPT = 41;

  private ReplyWire() {}

  /**
   * Returns the offsets of the TTL fields of every resource record of {@code wire} except OPT
   * (whose TTL field holds EDNS flags), or {@code null} when the message is not well formed.
   */
  static int[] ttlOffsets(byte[] wire) {
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
