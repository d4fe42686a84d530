package org.clusterdns.kube2sky.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.clusterdns.kube2sky.sync.SyncListener;
import org.clusterdns.kube2sky.watch.ServiceKey;

/**
 * kube2sky's Prometheus metrics, fed by the synchroniser's {@link SyncListener} reports:
 *
 * <ul>
 *   <li>{@code kube2sky_reconciles_total{result}}: Services reconciled, {@code result} one of
 *       {@code changed} (etcd was written), {@code unchanged} (etcd already matched), {@code failed};
 *   <li>{@code kube2sky_reconcile_errors_total{cause}}: failed reconciles by the simple class name of
 *       the error (its cause, for wrapping {@code ExecutionException}s);
 *   <li>{@code kube2sky_etcd_data_loss_total}: times etcd was found to have lost the records;
 *   <li>{@code kube2sky_full_reconciles_total} and {@code kube2sky_full_reconcile_duration_seconds}
 *       (the last one's duration);
 *   <li>{@code kube2sky_queue_depth} and {@code kube2sky_records_owned}: read at each scrape;
 *   <li>{@code kube2sky_programming_latency_seconds}: histogram of the time from the API event that
 *       queued a Service to the etcd commit of its records (1 ms to 60 s).
 * </ul>
 *
 * @implNote Thread-safe and non-blocking, as {@link SyncListener} requires.
 */
public final class Kube2SkyMetrics implements SyncListener {
  private static final double[] LATENCY_BUCKETS =
      {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  private static final double NANOS_PER_SECOND = 1e9;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final CounterDataPoint changed;
  private final CounterDataPoint unchanged;
  private final CounterDataPoint failed;
  private final Counter errors;
  private final Counter dataLoss;
  private final Counter fullReconciles;
  private final Gauge fullReconcileDuration;
  private final Histogram latency;

  /**
   * Creates the metrics in a registry of their own.
   *
   * @param queueDepth read at each scrape: Services waiting to be reconciled
   * @param recordsOwned read at each scrape: etcd keys kube2sky currently owns
   */
  public Kube2SkyMetrics(LongSupplier queueDepth, LongSupplier recordsOwned) {
    Objects.requireNonNull(queueDepth, "queueDepth");
    Objects.requireNonNull(recordsOwned, "recordsOwned");
    Counter reconciles = Counter.builder()
        .name("kube2sky_reconciles")
        .help("Services reconciled, by result: changed (etcd written), unchanged (etcd matched), failed.")
        .labelNames("result")
        .withoutExemplars()
        .register(registry);
    changed = reconciles.labelValues("changed");
    unchanged = reconciles.labelValues("unchanged");
    failed = reconciles.labelValues("failed");
    errors = Counter.builder()
        .name("kube2sky_reconcile_errors")
        .help("Failed reconciles of a Service, by the class of the error; each is retried with backoff.")
        .labelNames("cause")
        .withoutExemplars()
        .register(registry);
    dataLoss = Counter.builder()
        .name("kube2sky_etcd_data_loss")
        .help("Times etcd was found to have lost the records (restarted empty); every record was rewritten.")
        .withoutExemplars()
        .register(registry);
    fullReconciles = Counter.builder()
        .name("kube2sky_full_reconciles")
        .help("Full reconciles of every Service, which also remove records no Service owns.")
        .withoutExemplars()
        .register(registry);
    fullReconcileDuration = Gauge.builder()
        .name("kube2sky_full_reconcile_duration_seconds")
        .help("Duration of the last full reconcile.")
        .withoutExemplars()
        .register(registry);
    latency = Histogram.builder()
        .name("kube2sky_programming_latency_seconds")
        .help("Time from the API event about a Service to the etcd commit of its records.")
        .classicOnly()
        .classicUpperBounds(LATENCY_BUCKETS)
        .withoutExemplars()
        .register(registry);
    GaugeWithCallback.builder()
        .name("kube2sky_queue_depth")
        .help("Services waiting to be reconciled.")
        .callback(callback -> callback.call(queueDepth.getAsLong()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("kube2sky_records_owned")
        .help("etcd keys written and owned by kube2sky.")
        .callback(callback -> callback.call(recordsOwned.getAsLong()))
        .register(registry);
  }

  /** Returns the registry holding these metrics, for the {@code /metrics} endpoint. */
  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void reconciled(ServiceKey key, int puts, int deletes, long latencyNanos) {
    (puts + deletes > 0 ? changed : unchanged).inc();
    if (latencyNanos >= 0) {
      latency.observe(latencyNanos / NANOS_PER_SECOND);
    }
  }

  @Override
  public void reconcileFailed(ServiceKey key, Throwable error) {
    failed.inc();
    errors.labelValues(cause(error).getClass().getSimpleName()).inc();
  }

  @Override
  public void fullReconcileDone(int services, int puts, int deletes, long durationNanos) {
    fullReconciles.inc();
    fullReconcileDuration.set(durationNanos / NANOS_PER_SECOND);
  }

  @Override
  public void etcdDataLost() {
    dataLoss.inc();
  }

  /** Returns the error that says what went wrong: futures wrap it in exceptions that say nothing. */
  private static Throwable cause(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
