package org.clusterdns.kube2sky.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.junit.jupiter.api.Test;

class Kube2SkyMetricsTest {
  private static final ServiceKey WEB = new ServiceKey("shop", "web");

  private final AtomicLong queueDepth = new AtomicLong();
  private final AtomicLong recordsOwned = new AtomicLong();
  private final Kube2SkyMetrics metrics = new Kube2SkyMetrics(queueDepth::get, recordsOwned::get);

  private String scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everySeriesIsThereFromTheStart() throws IOException {
    assertThat(scrape()).contains(
        "kube2sky_reconciles_total{result=\"changed\"} 0.0",
        "kube2sky_reconciles_total{result=\"unchanged\"} 0.0",
        "kube2sky_reconciles_total{result=\"failed\"} 0.0",
        "kube2sky_etcd_data_loss_total 0.0",
        "kube2sky_full_reconciles_total 0.0",
        "kube2sky_queue_depth 0.0",
        "kube2sky_records_owned 0.0",
        "kube2sky_programming_latency_seconds_count 0");
  }

  @Test
  void reconcilesCountByResult() throws IOException {
    metrics.reconciled(WEB, 2, 1, 1_000_000);
    metrics.reconciled(WEB, 0, 3, 1_000_000);
    metrics.reconciled(WEB, 0, 0, -1);
    metrics.reconcileFailed(WEB, new TimeoutException("etcd"));

    assertThat(scrape()).contains(
        "kube2sky_reconciles_total{result=\"changed\"} 2.0",
        "kube2sky_reconciles_total{result=\"unchanged\"} 1.0",
        "kube2sky_reconciles_total{result=\"failed\"} 1.0");
  }

  @Test
  void errorsCountByTheirUnwrappedCause() throws IOException {
    metrics.reconcileFailed(WEB, new ExecutionException(new TimeoutException("etcd")));
    metrics.reconcileFailed(WEB, new TimeoutException("etcd"));
    metrics.reconcileFailed(WEB, new IllegalStateException("bad"));

    assertThat(scrape()).contains(
        "kube2sky_reconcile_errors_total{cause=\"TimeoutException\"} 2.0",
        "kube2sky_reconcile_errors_total{cause=\"IllegalStateException\"} 1.0");
  }

  @Test
  void latencyIsObservedOnlyForEventCausedReconciles() throws IOException {
    metrics.reconciled(WEB, 1, 0, 2_000_000); // 2 ms
    metrics.reconciled(WEB, 1, 0, 0);
    metrics.reconciled(WEB, 1, 0, -1); // a resync: no latency

    String text = scrape();
    assertThat(text).contains(
        "kube2sky_programming_latency_seconds_bucket{le=\"0.001\"} 1",
        "kube2sky_programming_latency_seconds_bucket{le=\"0.0025\"} 2",
        "kube2sky_programming_latency_seconds_bucket{le=\"60.0\"} 2",
        "kube2sky_programming_latency_seconds_count 2",
        "kube2sky_programming_latency_seconds_sum 0.002");
  }

  @Test
  void fullReconcilesAndDataLossAreCounted() throws IOException {
    metrics.fullReconcileDone(10, 3, 2, 1_500_000_000L);
    metrics.fullReconcileDone(10, 0, 0, 250_000_000L);
    metrics.etcdDataLost();

    assertThat(scrape()).contains(
        "kube2sky_full_reconciles_total 2.0",
        "kube2sky_full_reconcile_duration_seconds 0.25",
        "kube2sky_etcd_data_loss_total 1.0");
  }

  @Test
  void gaugesAreReadAtEachScrape() throws IOException {
    queueDepth.set(7);
    recordsOwned.set(1234);
    assertThat(scrape()).contains("kube2sky_queue_depth 7.0", "kube2sky_records_owned 1234.0");

    queueDepth.set(0);
    assertThat(scrape()).contains("kube2sky_queue_depth 0.0");
  }

  @Test
  void eachInstanceHasItsOwnRegistry() throws IOException {
    metrics.etcdDataLost();
    Kube2SkyMetrics other = new Kube2SkyMetrics(() -> 0, () -> 0);

    assertThat(other.registry()).isNotSameAs(metrics.registry());
    assertThat(scrape()).contains("kube2sky_etcd_data_loss_total 1.0");
  }
}
