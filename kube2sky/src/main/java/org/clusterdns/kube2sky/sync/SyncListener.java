package org.clusterdns.kube2sky.sync;

import org.clusterdns.kube2sky.watch.ServiceKey;

/**
 * What the synchroniser reports for metrics and logs. Every method has a no-op default.
 *
 * @implNote Called on the synchroniser's worker thread: implementations must be thread-safe and
 *     must not block.
 */
public interface SyncListener {
  /** A listener that ignores everything. */
  SyncListener NONE = new SyncListener() {};

  /**
   * One Service was reconciled: {@code puts} and {@code deletes} were committed in one
   * transaction (both 0 when etcd already matched). {@code latencyNanos} is the programming
   * latency: from the first API event that queued this key to the commit; -1 when the reconcile
   * was not caused by an event (a resync).
   */
  default void reconciled(ServiceKey key, int puts, int deletes, long latencyNanos) {}

  /** Reconciling one Service failed; it will be retried with backoff. */
  default void reconcileFailed(ServiceKey key, Throwable error) {}

  /** A full reconcile of every Service finished, removing what no Service owns. */
  default void fullReconcileDone(int services, int puts, int deletes, long durationNanos) {}

  /** etcd was found to have lost the records (restarted empty, revision went back); all are rewritten. */
  default void etcdDataLost() {}
}
