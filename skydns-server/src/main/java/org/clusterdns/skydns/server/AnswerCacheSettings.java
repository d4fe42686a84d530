package org.clusterdns.skydns.server;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.xbill.DNS.Message;

/**
 * How the transport's answer cache is set up: its size, how long an entry may be reused, the data
 * generation that invalidates it, and which replies may be stored.
 *
 * @param capacity the most replies kept
 * @param maxAge how long a stored reply may be reused at most, even if the data did not change
 * @param generation the backend's data generation ({@code Backend::generation})
 * @param cacheable which complete replies may be reused for other clients
 */
public record AnswerCacheSettings(
    int capacity, Duration maxAge, LongSupplier generation, Predicate<Message> cacheable) {

  /** Checks the arguments. */
  public AnswerCacheSettings {
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(generation, "generation");
    Objects.requireNonNull(cacheable, "cacheable");
    if (capacity < 1 || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("answer cache capacity and maximum age must be positive");
    }
  }

  AnswerCache create() {
    return new AnswerCache(capacity, maxAge.toNanos(), generation, System::nanoTime, cacheable);
  }
}
