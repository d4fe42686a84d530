package org.clusterdns.skydns.resolve.forward;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The servers one question may be sent to (the nameservers, or the servers of one stub zone), and
 * the order to try them in: servers that have been answering first, those that keep failing last
 * (until they answer again), and with rotation the starting server moving on with every query.
 *
 * @implNote Thread-safe.
 */
public final class UpstreamGroup {
  private final String name;
  private final List<Upstream> servers;
  private final boolean rotate;
  private final boolean loopMarked;
  private final AtomicInteger next = new AtomicInteger();

  /**
   * Creates a group.
   *
   * @param name what the group serves, for logs ({@code nameservers}, {@code stub example.org.})
   * @param addresses the servers, in the configured order
   * @param timeout how long one exchange with one server may take
   * @param rotate whether consecutive queries start at consecutive servers
   * @param loopMarked whether queries to this group carry the loop marker (stub zones)
   */
  public UpstreamGroup(String name, List<InetSocketAddress> addresses, Duration timeout, boolean rotate,
      boolean loopMarked) {
    this.name = name;
    List<Upstream> servers = new ArrayList<>(addresses.size());
    for (InetSocketAddress address : addresses) {
      servers.add(new Upstream(address, timeout));
    }
    this.servers = List.copyOf(servers);
    this.rotate = rotate;
    this.loopMarked = loopMarked;
  }

  /** Returns whether the group has no servers at all. */
  public boolean isEmpty() {
    return servers.isEmpty();
  }

  /** Returns the servers' addresses in the configured order. */
  public List<InetSocketAddress> addresses() {
    return servers.stream().map(Upstream::address).toList();
  }

  /** Returns whether queries to this group carry the loop marker. */
  boolean loopMarked() {
    return loopMarked;
  }

  /** Returns every server once, in the order to try them for the next query. */
  List<Upstream> attemptOrder() {
    int size = servers.size();
    int start = rotate && size > 0 ? Math.floorMod(next.getAndIncrement(), size) : 0;
    List<Upstream> order = new ArrayList<>(size);
    List<Upstream> failing = new ArrayList<>(0);
    for (int i = 0; i < size; i++) {
      Upstream server = servers.get((start + i) % size);
      (server.isFailing() ? failing : order).add(server);
    }
    order.addAll(failing);
    return order;
  }

  @Override
  public String toString() {
    return name;
  }
}
