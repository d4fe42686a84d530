package org.clusterdns.skydns.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

class ServerMetricsTest {
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AtomicLong lastEvent = new AtomicLong();
  private final BackendGauges backend = new BackendGauges() {
    @Override
    public long entries() {
      return 42;
    }

    @Override
    public long revision() {
      return 7;
    }

    @Override
    public long lastEventMillis() {
      return lastEvent.get();
    }

    @Override
    public boolean connected() {
      return true;
    }

    @Override
    public long malformedValues() {
      return 3;
    }
  };
  private final ServerMetrics metrics =
      new ServerMetrics(registry, "skydns", "skydns", backend, Clock.fixed(NOW, ZoneOffset.UTC));

  private double value(String series) {
    return MetricsText.value(registry, series).orElseThrow(() -> new AssertionError("no series " + series));
  }

  @Test
  void skyDnsSeriesCarryTheirNamesAndLabels() {
    metrics.request(RequestSystem.AUTH, 0.002);
    metrics.request(RequestSystem.AUTH, 0.2);
    metrics.responseSize(RequestSystem.RECURSIVE, 700);
    metrics.error(RequestSystem.REVERSE, ErrorCause.NXDOMAIN);
    metrics.cacheMiss(CacheKind.RESPONSE);

    assertThat(value("skydns_skydns_dns_request_count_total{system=\"auth\"}")).isEqualTo(2);
    assertThat(value("skydns_skydns_dns_request_count_total{system=\"stub\"}")).isZero();
    assertThat(value("skydns_skydns_dns_request_duration_seconds_count{system=\"auth\"}")).isEqualTo(2);
    assertThat(value("skydns_skydns_dns_request_duration_seconds_bucket{system=\"auth\",le=\"0.003\"}")).isEqualTo(1);
    assertThat(value("skydns_skydns_dns_request_duration_seconds_bucket{system=\"auth\",le=\"0.25\"}")).isEqualTo(2);
    assertThat(value("skydns_skydns_dns_response_size_bytes_bucket{system=\"recursive\",le=\"512.0\"}")).isZero();
    assertThat(value("skydns_skydns_dns_response_size_bytes_bucket{system=\"recursive\",le=\"1024.0\"}")).isEqualTo(1);
    assertThat(value("skydns_skydns_dns_response_size_bytes_sum{system=\"recursive\"}")).isEqualTo(700);
    assertThat(value("skydns_skydns_dns_error_count_total{cause=\"nxdomain\",system=\"reverse\"}")).isEqualTo(1);
    assertThat(value("skydns_skydns_dns_error_count_total{cause=\"nxdomain\",system=\"auth\"}")).isZero();
    assertThat(value("skydns_skydns_dns_cachemiss_count_total{cache=\"response\"}")).isEqualTo(1);
    assertThat(value("skydns_skydns_dns_cachemiss_count_total{cache=\"signature\"}")).isZero();
  }

  @Test
  void histogramsHaveSkyDnsBuckets() {
    String text = MetricsText.scrape(registry);
    for (String bound : new String[] {"0.001", "0.003", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
        "1.0", "2.5", "5.0", "10.0", "+Inf"}) {
      assertThat(text).contains("skydns_skydns_dns_request_duration_seconds_bucket{system=\"auth\",le=\"" + bound + "\"}");
    }
    assertThat(text).doesNotContain("dns_request_duration_seconds_bucket{system=\"auth\",le=\"0.0\"}");
    for (String bound : new String[] {"0.0", "512.0", "1500.0", "12288.0", "61440.0", "65536.0", "+Inf"}) {
      assertThat(text).contains("skydns_skydns_dns_response_size_bytes_bucket{system=\"auth\",le=\"" + bound + "\"}");
    }
    assertThat(text.split("dns_response_size_bytes_bucket\\{system=\"auth\"")).hasSize(22 + 1);
  }

  @Test
  void namespaceAndSubsystemPrefixEveryName() {
    PrometheusRegistry own = new PrometheusRegistry();
    new ServerMetrics(own, "cluster", "dns", backend, Clock.systemUTC()).request(RequestSystem.CACHE, 0.001);
    assertThat(MetricsText.value(own, "cluster_dns_dns_request_count_total{system=\"cache\"}")).hasValue(1);
    assertThat(MetricsText.scrape(own)).doesNotContain("skydns_");
  }

  @Test
  void backendStateIsReadAtScrapeTime() {
    assertThat(value("skydns_skydns_index_entries")).isEqualTo(42);
    assertThat(value("skydns_skydns_etcd_revision")).isEqualTo(7);
    assertThat(value("skydns_skydns_etcd_connected")).isEqualTo(1);
    assertThat(value("skydns_skydns_etcd_malformed_values_total")).isEqualTo(3);
    assertThat(MetricsText.value(registry, "skydns_skydns_etcd_last_event_age_seconds"))
        .as("no sample before the first event").isEmpty();

    lastEvent.set(NOW.toEpochMilli() - 2500);
    assertThat(value("skydns_skydns_etcd_last_event_age_seconds")).isEqualTo(2.5);
  }

  @Test
  void transportCountersCountByReasonAndRcode() {
    metrics.dropped("response");
    metrics.dropped("response");
    metrics.dropped("unparsable");
    metrics.rejected(Rcode.FORMERR);
    metrics.rejected(Rcode.NOTIMP);
    metrics.tcpConnectionRefused();

    assertThat(value("skydns_skydns_dns_dropped_count_total{reason=\"response\"}")).isEqualTo(2);
    assertThat(value("skydns_skydns_dns_dropped_count_total{reason=\"unparsable\"}")).isEqualTo(1);
    assertThat(value("skydns_skydns_dns_rejected_count_total{rcode=\"formerr\"}")).isEqualTo(1);
    assertThat(value("skydns_skydns_dns_rejected_count_total{rcode=\"notimp\"}")).isEqualTo(1);
    assertThat(value("skydns_skydns_dns_tcp_refused_count_total")).isEqualTo(1);
  }

  @Test
  void eachInstanceCountsOnlyInItsOwnRegistry() {
    PrometheusRegistry other = new PrometheusRegistry();
    new ServerMetrics(other, "skydns", "skydns", backend, Clock.systemUTC());
    metrics.request(RequestSystem.AUTH, 0.001);
    assertThat(MetricsText.value(other, "skydns_skydns_dns_request_count_total{system=\"auth\"}")).hasValue(0);
    assertThat(value("skydns_skydns_dns_request_count_total{system=\"auth\"}")).isEqualTo(1);
  }
}
