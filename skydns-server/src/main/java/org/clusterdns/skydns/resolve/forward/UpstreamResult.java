package org.clusterdns.skydns.resolve.forward;

import java.util.Locale;

/** How one exchange with one upstream server ended: the {@code result} label of its metric. */
public enum UpstreamResult {
  /** A usable reply: NOERROR or NXDOMAIN. */
  ANSWERED,
  /** No reply within the read timeout. */
  TIMEOUT,
  /** The server answered SERVFAIL: a fact about the name as much as about the server. */
  SERVFAIL,
  /** The server refused the query or answered another error (REFUSED, NOTIMP, FORMERR, ...). */
  REFUSED,
  /** A network error, or a reply that could not be parsed or did not match the question. */
  ERROR;

  /** Returns the label value, the name in lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Returns whether this result says the server is not working (it is then tried later). Error
   * rcodes do not: a client could otherwise demote healthy servers with questions they refuse.
   */
  boolean countsAgainstServer() {
    return this == TIMEOUT || this == ERROR;
  }
}
