package org.clusterdns.kube2sky.records;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;
import org.clusterdns.records.IpLiterals;

/**
 * Parses IP literals from Kubernetes objects into one canonical spelling (RFC 5952 for IPv6), so
 * that {@code 2001:DB8:0::1} and {@code 2001:db8::1} yield the same record and the same label.
 */
final class AddressText {
  private AddressText() {}

  /** Returns the canonical text of {@code text}, or empty when it is not an IP literal. */
  static Optional<String> canonical(String text) {
    return IpLiterals.parse(text).map(AddressText::format);
  }

  /** Returns the canonical text of an address. */
  static String format(InetAddress address) {
    if (address instanceof Inet4Address) {
      return address.getHostAddress();
    }
    byte[] bytes = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
    }
    // RFC 5952: the longest run of two or more zero groups becomes "::", the first one on a tie.
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder text = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }
}
