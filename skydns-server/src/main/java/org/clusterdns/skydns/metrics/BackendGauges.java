package org.clusterdns.skydns.metrics;

/**
 * What the metrics read from the record backend each time they are scraped; the caller adapts
 * its backend to this view.
 *
 * @implNote Called on scrape threads: implementations must be thread-safe, cheap and non-blocking.
 */
public interface BackendGauges {
  /** Returns how many services the in-memory index holds. */
  long entries();

  /** Returns the etcd revision the index reflects; 0 before the first load. */
  long revision();

  /** Returns when the last etcd event (load or watch update) arrived, in epoch milliseconds; 0 if none yet. */
  long lastEventMillis();

  /** Returns whether the backend currently has a working connection to etcd. */
  boolean connected();

  /** Returns how many stored values have been skipped as malformed since start (a running count). */
  long malformedValues();
}
