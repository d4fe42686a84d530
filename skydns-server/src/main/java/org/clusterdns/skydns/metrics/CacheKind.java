package org.clusterdns.skydns.metrics;

import java.util.Locale;

/** Which cache missed: the {@code cache} label of {@code dns_cachemiss_count_total}. */
public enum CacheKind {
  /** The cache of whole responses. */
  RESPONSE,
  /** The cache of DNSSEC signatures. */
  SIGNATURE;

  /** Returns the label value, the name in lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
