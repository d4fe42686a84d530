package org.clusterdns.kube2sky.sync;

/**
 * Notices etcd losing its data: the highest revision seen only grows while etcd keeps its data,
 * so a read or write that reports a lower revision than one seen before it started talks to an
 * etcd that restarted empty (the cluster ID stays the same, so it cannot tell).
 *
 * @implNote Thread-safe; the loss callback runs on the observing thread, outside the lock.
 */
final class RevisionTracker {
  private final Runnable onLoss;
  private long highest;

  /** Creates a tracker that runs {@code onLoss} each time a revision goes backwards. */
  RevisionTracker(Runnable onLoss) {
    this.onLoss = onLoss;
  }

  /** Returns the highest revision seen so far; take it before a call, pass it to {@link #observe} after. */
  synchronized long mark() {
    return highest;
  }

  /**
   * Records the revision a call reported; the call started after {@link #mark()} returned
   * {@code mark}. Comparing with that mark rather than with the current highest keeps calls that
   * overlap a write from looking like a loss.
   */
  void observe(long mark, long revision) {
    boolean lost;
    synchronized (this) {
      lost = revision < mark;
      highest = lost ? revision : Math.max(highest, revision);
    }
    if (lost) {
      onLoss.run();
    }
  }
}
