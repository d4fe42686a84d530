package org.clusterdns.skydns.metrics;

import java.util.Locale;

/** The part of the server that answered a query: the {@code system} label of SkyDNS's metrics. */
public enum RequestSystem {
  /** Answered from the records of the domain. */
  AUTH,
  /** Answered from the response cache. */
  CACHE,
  /** Forwarded to the upstream nameservers. */
  RECURSIVE,
  /** A reverse ({@code arpa}) name outside the domain. */
  REVERSE,
  /** Forwarded to the servers of a stub zone. */
  STUB;

  /** Returns the label value, the name in lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
