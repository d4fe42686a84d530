package org.clusterdns.skydns.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the DNS transport listens.
 *
 * @param address the UDP and TCP address ({@code 127.0.0.1:53}); port 0 binds a free port (tests)
 * @param eventLoops how many event loops (and, with epoll on a fixed port, UDP sockets) to run
 * @param tcpIdleTimeout how long an idle TCP connection is kept open
 * @param maxTcpConnections how many TCP connections may be open at once
 * @param maxTcpQueriesPerConnection how many queries one TCP connection may carry before it is closed
 */
public record ListenConfig(
    InetSocketAddress address,
    int eventLoops,
    Duration tcpIdleTimeout,
    int maxTcpConnections,
    int maxTcpQueriesPerConnection) {

  /** Checks the values. */
  public ListenConfig {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(tcpIdleTimeout, "tcpIdleTimeout");
    if (eventLoops < 1 || maxTcpConnections < 1 || maxTcpQueriesPerConnection < 1) {
      throw new IllegalArgumentException("event loops and TCP limits must be positive");
    }
  }

  /** Returns the defaults for {@code address}: one loop per core, 8 s idle, 1000 connections, 128 queries each. */
  public static ListenConfig defaults(InetSocketAddress address) {
    return new ListenConfig(address, Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(8), 1000, 128);
  }
}
