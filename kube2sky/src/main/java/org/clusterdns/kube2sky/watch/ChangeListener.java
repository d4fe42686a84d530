package org.clusterdns.kube2sky.watch;

/**
 * Told that a Service may need reconciling: the Service itself or one of its EndpointSlices was
 * added, changed or deleted.
 *
 * @implNote Called on the informers' event threads, one event at a time per informer:
 *     implementations must be thread-safe and must not block (enqueue the key and return).
 */
@FunctionalInterface
public interface ChangeListener {
  /**
   * Reports that the Service {@code key} changed; {@code eventNanos} is the {@link System#nanoTime()}
   * at which the event arrived, the start of the programming latency.
   */
  void changed(ServiceKey key, long eventNanos);
}
