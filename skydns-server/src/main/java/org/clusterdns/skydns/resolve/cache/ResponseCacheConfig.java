package org.clusterdns.skydns.resolve.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * How the response cache is sized and what it needs to know about the answers it holds.
 *
 * @param capacity how many replies it holds at most ({@code rcache}, positive: with
 *     {@code rcache} 0 the step is left out of the chain)
 * @param ttl the longest a reply is reused ({@code rcache_ttl}, positive)
 * @param domain the served domain, lower-case and absolute ({@code skydns.local.}): answers for it
 *     and for reverse names come from the index
 * @param roundRobin whether address records are shuffled on every reuse, as the authoritative
 *     step shuffles them on every answer
 */
public record ResponseCacheConfig(int capacity, Duration ttl, String domain, boolean roundRobin) {

  /** Checks that capacity and ttl are positive and the domain is given. */
  public ResponseCacheConfig {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, got " + ttl);
    }
    Objects.requireNonNull(domain, "domain");
  }
}
