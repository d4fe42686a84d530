package org.clusterdns.skydns.metrics;

import java.util.Locale;

/** Why a reply counts as an error: the {@code cause} label of {@code dns_error_count_total}. */
public enum ErrorCause {
  /** The name does not exist. */
  NXDOMAIN,
  /** The reply did not fit the client's buffer and was sent with TC set. */
  TRUNCATED,
  /** The query was refused. */
  REFUSED,
  /** The reply did not fit even into a TCP message. */
  OVERFLOW,
  /** The server failed. */
  SERVFAIL;

  /** Returns the label value, the name in lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
