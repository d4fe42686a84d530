package org.clusterdns.skydns.server;

import org.xbill.DNS.Message;

/**
 * What the transport reports about traffic that metrics and logs care about. Every method has a
 * no-op default so that a listener implements only what it counts.
 *
 * @implNote Called on event-loop threads: implementations must be thread-safe and must not block.
 */
public interface TransportEvents {
  /** A listener that ignores everything. */
  TransportEvents NONE = new TransportEvents() {};

  /** A datagram or frame was dropped without a reply; {@code reason} is a short constant word. */
  default void queryDropped(String reason) {}

  /** A query could not be parsed (or broke a header rule) and was answered with {@code rcode}. */
  default void queryRejected(int rcode) {}

  /** A reply of {@code bytes} bytes was sent; {@code truncated} when TC had to be set. */
  default void replySent(Message reply, int bytes, boolean truncated, boolean tcp) {}

  /**
   * A reply of {@code bytes} bytes was sent from the answer cache, without the resolver chain (so
   * no resolver step saw this query); {@code rcode} is the reply's, {@code elapsedNanos} the time
   * from receipt to reply.
   */
  default void cachedReplySent(int bytes, int rcode, boolean tcp, long elapsedNanos) {}

  /** A TCP connection was refused because the connection cap was reached. */
  default void tcpConnectionRefused() {}
}
