package org.clusterdns.skydns.resolve.forward;

import java.net.InetSocketAddress;

/**
 * What happens on the way to upstream servers, for metrics.
 *
 * @implNote Implementations are thread-safe and fast: they are called on I/O threads.
 */
public interface ForwardEvents {
  /** Ignores every event. */
  ForwardEvents NONE = new ForwardEvents() {};

  /** One exchange with {@code server} ended with {@code result}, after {@code nanos}. */
  default void upstreamExchange(InetSocketAddress server, UpstreamResult result, long nanos) {}

  /** A question was not sent because the cap on outstanding upstream queries was reached. */
  default void outstandingCapReached() {}

  /** A query carrying the loop marker was refused instead of being forwarded again. */
  default void loopRefused() {}
}
