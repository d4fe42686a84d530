package org.clusterdns.process.flags;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * The value syntaxes of Go's standard library that the SkyDNS and kube2sky command lines used:
 * booleans as {@code strconv.ParseBool} reads them and durations as {@code time.ParseDuration}
 * reads them. Every method throws {@link IllegalArgumentException} with a reason for text it
 * cannot read.
 */
public final class GoSyntax {
  private static final String NOT_A_DURATION = "not a duration (such as 2s, 500ms, 1h30m)";
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final Map<String, Long> UNIT_NANOS = Map.of(
      "ns", 1L,
      "us", 1_000L,
      "\u00b5s", 1_000L, // micro sign
      "\u03bcs", 1_000L, // Greek mu
      "ms", 1_000_000L,
      "s", 1_000_000_000L,
      "m", 60_000_000_000L,
      "h", 3_600_000_000_000L);

  private GoSyntax() {}

  /** Reads a boolean: {@code 1 t T TRUE true True} or {@code 0 f F FALSE false False}. */
  public static boolean parseBool(String text) {
    switch (text) {
      case "1": case "t": case "T": case "TRUE": case "true": case "True":
        return true;
      case "0": case "f": case "F": case "FALSE": case "false": case "False":
        return false;
      default:
        throw new IllegalArgumentException("not a boolean (true, false, 1, 0, t, f)");
    }
  }

  /**
   * Reads a duration such as {@code 2s}, {@code 500ms}, {@code 1h30m} or {@code 1.5h}: an optional
   * sign, then numbers each followed by a unit (ns, us, µs, ms, s, m, h); a bare {@code 0} is zero.
   * Fractions of a nanosecond are dropped, as Go drops them.
   */
  public static Duration parseDuration(String text) {
    String rest = text;
    boolean negative = false;
    if (rest.startsWith("-") || rest.startsWith("+")) {
      negative = rest.charAt(0) == '-';
      rest = rest.substring(1);
    }
    if (rest.equals("0")) {
      return Duration.ZERO;
    }
    if (rest.isEmpty()) {
      throw new IllegalArgumentException(NOT_A_DURATION);
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < rest.length()) {
      int numberStart = i;
      while (i < rest.length() && isNumberChar(rest.charAt(i))) {
        i++;
      }
      String number = rest.substring(numberStart, i);
      int unitStart = i;
      while (i < rest.length() && !isNumberChar(rest.charAt(i))) {
        i++;
      }
      Long unitNanos = UNIT_NANOS.get(rest.substring(unitStart, i));
      if (unitNanos == null || !number.matches("[0-9]*\\.?[0-9]*") || number.replace(".", "").isEmpty()) {
        throw new IllegalArgumentException(NOT_A_DURATION);
      }
      nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos)));
      if (nanos.compareTo(MAX_NANOS) > 0) {
        throw new IllegalArgumentException("duration out of range");
      }
    }
    long whole = nanos.longValue();
    return Duration.ofNanos(negative ? -whole : whole);
  }

  private static boolean isNumberChar(char c) {
    return c >= '0' && c <= '9' || c == '.';
  }
}
