package org.clusterdns.records;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Parses IP literals without ever asking a resolver. */
public final class IpLiterals {
  private IpLiterals() {}

  /**
   * Returns the address that {@code text} spells, or empty when it is not an IPv4 dotted quad or
   * an IPv6 literal. IPv4-mapped IPv6 literals yield the IPv4 address.
   */
  public static Optional<InetAddress> parse(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    if (text.indexOf(':') >= 0) {
      return parseIpv6(text);
    }
    return parseIpv4(text);
  }

  private static Optional<InetAddress> parseIpv4(String text) {
    byte[] bytes = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || part == 4) {
          return Optional.empty();
        }
        bytes[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) {
          return Optional.empty(); // leading zero: ambiguous (octal), rejected as Go does
        }
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (++digits > 3 || value > 255) {
          return Optional.empty();
        }
      } else {
        return Optional.empty();
      }
    }
    if (part != 4) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static Optional<InetAddress> parseIpv6(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean allowed = c == ':' || c == '.' || Character.digit(c, 16) >= 0;
      if (!allowed) {
        return Optional.empty(); // no brackets, zone ids or names: only plain literals
      }
    }
    try {
      // A string containing ':' is parsed as an IPv6 literal by the JDK and never looked up.
      InetAddress address = InetAddress.getByName(text);
      return Optional.of(address);
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** Returns whether the address is IPv4 (and so answers A queries rather than AAAA). */
  public static boolean isIpv4(InetAddress address) {
    return address instanceof Inet4Address;
  }
}
