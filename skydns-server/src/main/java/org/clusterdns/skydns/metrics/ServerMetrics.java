package org.clusterdns.skydns.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.xbill.DNS.Rcode;

/**
 * skydns-server's Prometheus metrics, named {@code <namespace>_<subsystem>_<name>}: SkyDNS's
 * request, duration, response-size, error and cache-miss series, plus the state of the etcd
 * backend and what the transport dropped or rejected.
 *
 * <p>SkyDNS's series: {@code dns_request_count_total{system}},
 * {@code dns_request_duration_seconds{system}}, {@code dns_response_size_bytes{system}},
 * {@code dns_error_count_total{system,cause}}, {@code dns_cachemiss_count_total{cache}}. Ours:
 * {@code dns_dropped_count_total{reason}}, {@code dns_rejected_count_total{rcode}},
 * {@code dns_tcp_refused_count_total}, {@code forward_upstream_exchanges_total{upstream,result}},
 * {@code forward_rejected_count_total{reason}}, {@code index_entries}, {@code etcd_revision},
 * {@code etcd_last_event_age_seconds} (absent until the first event), {@code etcd_connected} and
 * {@code etcd_malformed_values_total}.
 *
 * @implNote Thread-safe. The per-query methods use data points resolved at construction, so the
 *     query path does no label lookups, and exemplars are off, so it does no trace sampling.
 */
public final class ServerMetrics {
  private static final double[] DURATION_BUCKETS =
      {0.001, 0.003, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  private static final double[] SIZE_BUCKETS = {0, 512, 1024, 1500, 2048, 4096, 8192, 12288, 16384, 20480,
      24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440, 65536};

  private final Map<RequestSystem, CounterDataPoint> requests = new EnumMap<>(RequestSystem.class);
  private final Map<RequestSystem, DistributionDataPoint> durations = new EnumMap<>(RequestSystem.class);
  private final Map<RequestSystem, DistributionDataPoint> sizes = new EnumMap<>(RequestSystem.class);
  private final Map<RequestSystem, Map<ErrorCause, CounterDataPoint>> errors = new EnumMap<>(RequestSystem.class);
  private final Map<CacheKind, CounterDataPoint> cacheMisses = new EnumMap<>(CacheKind.class);
  private final Counter dropped;
  private final Counter rejected;
  private final Counter tcpRefused;
  private final Counter upstreamExchanges;
  private final Counter forwardRejected;

  /**
   * Creates the metrics in {@code registry}.
   *
   * @param registry where to register; each server instance (and each test) has its own
   * @param namespace the first part of every name ({@code skydns})
   * @param subsystem the second part of every name ({@code skydns})
   * @param backend read at every scrape for the backend gauges
   * @param clock gives the time the age of the last etcd event is measured against
   */
  public ServerMetrics(PrometheusRegistry registry, String namespace, String subsystem, BackendGauges backend,
      Clock clock) {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(clock, "clock");
    String prefix = namespace + "_" + subsystem + "_";

    Counter requestCount = Counter.builder()
        .name(prefix + "dns_request_count")
        .help("Counter of DNS requests made.")
        .labelNames("system")
        .withoutExemplars()
        .register(registry);
    Histogram requestDuration = Histogram.builder()
        .name(prefix + "dns_request_duration_seconds")
        .help("Histogram of the time (in seconds) each request took to resolve.")
        .labelNames("system")
        .classicOnly()
        .classicUpperBounds(DURATION_BUCKETS)
        .withoutExemplars()
        .register(registry);
    Histogram responseSize = Histogram.builder()
        .name(prefix + "dns_response_size_bytes")
        .help("Size of the returned response in bytes.")
        .labelNames("system")
        .classicOnly()
        .classicUpperBounds(SIZE_BUCKETS)
        .withoutExemplars()
        .register(registry);
    Counter errorCount = Counter.builder()
        .name(prefix + "dns_error_count")
        .help("Counter of DNS requests resulting in an error.")
        .labelNames("system", "cause")
        .withoutExemplars()
        .register(registry);
    Counter cacheMiss = Counter.builder()
        .name(prefix + "dns_cachemiss_count")
        .help("Counter of DNS requests that result in a cache miss.")
        .labelNames("cache")
        .withoutExemplars()
        .register(registry);
    for (RequestSystem system : RequestSystem.values()) {
      requests.put(system, requestCount.labelValues(system.label()));
      durations.put(system, requestDuration.labelValues(system.label()));
      sizes.put(system, responseSize.labelValues(system.label()));
      Map<ErrorCause, CounterDataPoint> causes = new EnumMap<>(ErrorCause.class);
      for (ErrorCause cause : ErrorCause.values()) {
        causes.put(cause, errorCount.labelValues(system.label(), cause.label()));
      }
      errors.put(system, causes);
    }
    for (CacheKind cache : CacheKind.values()) {
      cacheMisses.put(cache, cacheMiss.labelValues(cache.label()));
    }

    dropped = Counter.builder()
        .name(prefix + "dns_dropped_count")
        .help("Queries the transport dropped without a reply, by reason.")
        .labelNames("reason")
        .withoutExemplars()
        .register(registry);
    rejected = Counter.builder()
        .name(prefix + "dns_rejected_count")
        .help("Queries the transport answered with an error before any lookup (unparsable, bad header), by rcode.")
        .labelNames("rcode")
        .withoutExemplars()
        .register(registry);
    tcpRefused = Counter.builder()
        .name(prefix + "dns_tcp_refused_count")
        .help("TCP connections refused because the connection cap was reached.")
        .withoutExemplars()
        .register(registry);

    upstreamExchanges = Counter.builder()
        .name(prefix + "forward_upstream_exchanges")
        .help("Exchanges with upstream servers (nameservers and stub zones), by server and result.")
        .labelNames("upstream", "result")
        .withoutExemplars()
        .register(registry);
    forwardRejected = Counter.builder()
        .name(prefix + "forward_rejected_count")
        .help("Questions not forwarded: cap on outstanding upstream queries reached (SERVFAIL), or loop marker present (REFUSED).")
        .labelNames("reason")
        .withoutExemplars()
        .register(registry);

    GaugeWithCallback.builder()
        .name(prefix + "index_entries")
        .help("Services held in the in-memory index of the etcd records.")
        .callback(callback -> callback.call(backend.entries()))
        .register(registry);
    GaugeWithCallback.builder()
        .name(prefix + "etcd_revision")
        .help("etcd revision the in-memory index reflects.")
        .callback(callback -> callback.call(backend.revision()))
        .register(registry);
    GaugeWithCallback.builder()
        .name(prefix + "etcd_last_event_age_seconds")
        .help("Seconds since the last event from etcd (load or watch update); absent before the first.")
        .callback(callback -> {
          long last = backend.lastEventMillis();
          if (last > 0) {
            callback.call(Math.max(0, clock.millis() - last) / 1000.0);
          }
        })
        .register(registry);
    GaugeWithCallback.builder()
        .name(prefix + "etcd_connected")
        .help("1 while the backend has a working connection to etcd, else 0 (answers then come from the last data).")
        .callback(callback -> callback.call(backend.connected() ? 1 : 0))
        .register(registry);
    CounterWithCallback.builder()
        .name(prefix + "etcd_malformed_values")
        .help("Values in etcd skipped because they are not valid SkyDNS records.")
        .callback(callback -> callback.call(backend.malformedValues()))
        .register(registry);
  }

  /** Counts one answered request of {@code system} that took {@code seconds}. */
  public void request(RequestSystem system, double seconds) {
    requests.get(system).inc();
    durations.get(system).observe(seconds);
  }

  /** Counts one error reply of {@code system}. */
  public void error(RequestSystem system, ErrorCause cause) {
    errors.get(system).get(cause).inc();
  }

  /** Records the size of one reply of {@code system}. */
  public void responseSize(RequestSystem system, int bytes) {
    sizes.get(system).observe(bytes);
  }

  /** Counts one miss of {@code cache}. */
  public void cacheMiss(CacheKind cache) {
    cacheMisses.get(cache).inc();
  }

  /** Counts one query dropped by the transport; {@code reason} is a short constant word. */
  public void dropped(String reason) {
    dropped.labelValues(reason).inc();
  }

  /** Counts one query the transport answered with {@code rcode} before any lookup. */
  public void rejected(int rcode) {
    rejected.labelValues(Rcode.string(rcode).toLowerCase(Locale.ROOT)).inc();
  }

  /** Counts one exchange with the upstream server {@code upstream} ({@code ip:port}) that ended with {@code result}. */
  public void upstreamExchange(String upstream, String result) {
    upstreamExchanges.labelValues(upstream, result).inc();
  }

  /** Counts one question not forwarded, for {@code reason} ({@code outstanding_cap} or {@code loop}). */
  public void forwardRejected(String reason) {
    forwardRejected.labelValues(reason).inc();
  }

  /** Counts one TCP connection refused at the connection cap. */
  public void tcpConnectionRefused() {
    tcpRefused.inc();
  }
}
