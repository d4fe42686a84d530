package org.clusterdns.skydns.resolve.forward;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;
import org.xbill.DNS.SimpleResolver;

/**
 * One upstream nameserver: how to send it a query, and whether it has been answering.
 *
 * <p>The exchange is dnsjava's {@link SimpleResolver}: a fresh UDP socket (random source port) per
 * query, the reply matched by ID and question, and a retry over TCP when the UDP reply is
 * truncated, so what comes back is always complete.
 *
 * @implNote Thread-safe.
 */
final class Upstream {
  /**
   * Consecutive failures after which the server counts as failing and is tried after the others.
   * Two, so that one lost datagram does not demote a server, and a dead one is demoted quickly.
   */
  static final int FAILING_AFTER = 2;
  /** Completes dnsjava's futures on its selector thread: the work that follows is small. */
  private static final Executor DIRECT = Runnable::run;

  private final InetSocketAddress address;
  private final SimpleResolver resolver;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();

  /** Creates the upstream at {@code address}; dnsjava gives an exchange up after {@code timeout}. */
  Upstream(InetSocketAddress address, Duration timeout) {
    this.address = Objects.requireNonNull(address, "address");
    this.resolver = new SimpleResolver(address);
    // dnsjava checks its own timeouts only about once a second; send() bounds each attempt
    // precisely, and dnsjava's later timeout just closes the socket.
    this.resolver.setTimeout(timeout.plusSeconds(1));
  }

  /** Returns the server's address. */
  InetSocketAddress address() {
    return address;
  }

  /**
   * Sends {@code query} and returns the reply; fails after {@code timeout}, on a network error, or
   * on a reply that does not match the query.
   */
  CompletableFuture<Message> send(Message query, Duration timeout) {
    CompletableFuture<Message> reply;
    try {
      reply = resolver.sendAsync(query, DIRECT).toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return reply.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Returns whether the server failed its last {@value #FAILING_AFTER} exchanges or more. */
  boolean isFailing() {
    return consecutiveFailures.get() >= FAILING_AFTER;
  }

  /** Records an answered exchange; returns whether the server had been failing until now. */
  boolean answered() {
    return consecutiveFailures.getAndSet(0) >= FAILING_AFTER;
  }

  /** Records a failed exchange; returns whether the server has just started failing. */
  boolean failed() {
    return consecutiveFailures.incrementAndGet() == FAILING_AFTER;
  }

  @Override
  public String toString() {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
