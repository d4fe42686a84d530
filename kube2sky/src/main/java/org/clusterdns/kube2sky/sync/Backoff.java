package org.clusterdns.kube2sky.sync;

import java.time.Duration;

/**
 * Exponential backoff: the delay after {@code n} consecutive failures is {@code initial * 2^(n-1)},
 * at most {@code max}.
 *
 * @param initial the delay after the first failure
 * @param max the longest delay
 */
record Backoff(Duration initial, Duration max) {
  /** 100 ms doubling up to 30 s. */
  static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));

  /** Returns the delay in nanoseconds after {@code failures} (1 or more) consecutive failures. */
  long delayNanos(int failures) {
    long delay = initial.toNanos();
    for (int i = 1; i < failures && delay < max.toNanos(); i++) {
      delay *= 2;
    }
    return Math.min(delay, max.toNanos());
  }
}
