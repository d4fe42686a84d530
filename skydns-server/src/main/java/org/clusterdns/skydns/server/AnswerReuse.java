package org.clusterdns.skydns.server;

import java.time.Duration;

/**
 * How long the transport's answer cache may reuse one complete reply, as its caller decides per
 * reply (see {@link AnswerCacheSettings}).
 *
 * @param lifetimeNanos how long the reply may be reused; 0 means never
 * @param endsWithDataChange whether a change of the backend's data ends it (answers made from the
 *     data), as opposed to living out its lifetime (answers from elsewhere)
 * @param countsDown whether every reuse lowers the reply's TTLs by the whole seconds since it was
 *     stored, as a cache of other servers' answers must
 */
public record AnswerReuse(long lifetimeNanos, boolean endsWithDataChange, boolean countsDown) {
  /** The reply must not be reused. */
  public static final AnswerReuse NEVER = new AnswerReuse(0, false, false);

  /** Reuse for at most {@code maxAge}, until the data changes, TTLs as stored. */
  public static AnswerReuse untilDataChanges(Duration maxAge) {
    return new AnswerReuse(maxAge.toNanos(), true, false);
  }

  /** Reuse for {@code lifetime} whatever the data does, TTLs counting down; zero means never. */
  public static AnswerReuse countingDown(Duration lifetime) {
    return lifetime.isZero() || lifetime.isNegative() ? NEVER : new AnswerReuse(lifetime.toNanos(), false, true);
  }

  /** Returns whether the reply may be reused at all. */
  public boolean reusable() {
    return lifetimeNanos > 0;
  }
}
