package org.clusterdns.skydns.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clusterdns.skydns.config.MetricsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(LOOPBACK, 0);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AtomicBoolean ready = new AtomicBoolean();
  private HttpEndpoints endpoints;

  HttpEndpointsTest() {
    new ServerMetrics(registry, "skydns", "skydns", new IdleBackend(), Clock.systemUTC())
        .request(RequestSystem.AUTH, 0.001);
  }

  @AfterEach
  void stop() {
    if (endpoints != null) {
      endpoints.close();
    }
  }

  private static MetricsConfig config(Optional<InetSocketAddress> health, Optional<Integer> prometheusPort,
      String path) {
    return new MetricsConfig(health, prometheusPort, path, "skydns", "skydns");
  }

  private HttpEndpoints start(MetricsConfig config) throws IOException {
    endpoints = HttpEndpoints.start(config, registry, ready::get, LOOPBACK);
    return endpoints;
  }

  private HttpResponse<String> send(InetSocketAddress address, String method, String path) throws Exception {
    URI uri = URI.create("http://" + address.getHostString() + ":" + address.getPort() + path);
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(InetSocketAddress address, String path) throws Exception {
    return send(address, "GET", path);
  }

  @Test
  void healthzIsOkWhileTheProcessRuns() throws Exception {
    InetSocketAddress health = start(config(Optional.of(ANY_LOOPBACK_PORT), Optional.empty(), "/metrics"))
        .healthAddress().orElseThrow();
    assertThat(health.getPort()).isPositive();

    HttpResponse<String> response = get(health, "/healthz");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void readyzSaysWhyUntilReady() throws Exception {
    InetSocketAddress health = start(config(Optional.of(ANY_LOOPBACK_PORT), Optional.empty(), "/metrics"))
        .healthAddress().orElseThrow();

    HttpResponse<String> before = get(health, "/readyz");
    assertThat(before.statusCode()).isEqualTo(503);
    assertThat(before.body()).contains("not ready").contains("etcd");

    ready.set(true);
    HttpResponse<String> after = get(health, "/readyz");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.body()).isEqualTo("ready\n");
  }

  @Test
  void metricsAreServedInThePrometheusTextFormat() throws Exception {
    InetSocketAddress health = start(config(Optional.of(ANY_LOOPBACK_PORT), Optional.empty(), "/metrics"))
        .healthAddress().orElseThrow();

    HttpResponse<String> response = get(health, "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
    assertThat(response.body()).contains(
        "# TYPE skydns_skydns_dns_request_count_total counter",
        "skydns_skydns_dns_request_count_total{system=\"auth\"} 1.0",
        "skydns_skydns_dns_request_duration_seconds_bucket",
        "skydns_skydns_dns_response_size_bytes_bucket",
        "skydns_skydns_dns_error_count_total",
        "skydns_skydns_dns_cachemiss_count_total",
        "skydns_skydns_index_entries",
        "skydns_skydns_etcd_revision",
        "skydns_skydns_etcd_connected 0.0",
        "skydns_skydns_etcd_malformed_values_total");
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    InetSocketAddress health = start(config(Optional.of(ANY_LOOPBACK_PORT), Optional.empty(), "/metrics"))
        .healthAddress().orElseThrow();

    assertThat(get(health, "/").statusCode()).isEqualTo(404);
    assertThat(get(health, "/healthzz").statusCode()).isEqualTo(404);
    assertThat(get(health, "/metrics/x").statusCode()).isEqualTo(404);
    HttpResponse<String> post = send(health, "POST", "/healthz");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void headGetsTheStatusWithoutABody() throws Exception {
    InetSocketAddress health = start(config(Optional.of(ANY_LOOPBACK_PORT), Optional.empty(), "/metrics"))
        .healthAddress().orElseThrow();

    HttpResponse<String> head = send(health, "HEAD", "/readyz");
    assertThat(head.statusCode()).isEqualTo(503);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void prometheusPortServesTheMetricsAtItsPathOnASecondServer() throws Exception {
    start(config(Optional.of(ANY_LOOPBACK_PORT), Optional.of(0), "/prom"));
    InetSocketAddress health = endpoints.healthAddress().orElseThrow();
    InetSocketAddress prometheus = endpoints.prometheusAddress().orElseThrow();
    assertThat(prometheus.getPort()).isNotEqualTo(health.getPort());

    HttpResponse<String> response = get(prometheus, "/prom");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("skydns_skydns_dns_request_count_total");
    assertThat(get(prometheus, "/healthz").statusCode()).isEqualTo(404);
    assertThat(get(health, "/metrics").statusCode()).isEqualTo(200);
    assertThat(get(health, "/prom").statusCode()).isEqualTo(404);
  }

  @Test
  void prometheusPortAloneServesOnlyTheMetrics() throws Exception {
    start(config(Optional.empty(), Optional.of(0), "/metrics"));
    assertThat(endpoints.healthAddress()).isEmpty();
    InetSocketAddress prometheus = endpoints.prometheusAddress().orElseThrow();

    assertThat(get(prometheus, "/metrics").statusCode()).isEqualTo(200);
    assertThat(get(prometheus, "/healthz").statusCode()).isEqualTo(404);
  }

  @Test
  void prometheusPortEqualToTheHealthPortSharesOneServer() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
      port = probe.getLocalPort(); // a free port, known before start: port 0 cannot be "equal"
    }
    start(config(Optional.of(new InetSocketAddress(LOOPBACK, port)), Optional.of(port), "/prom"));

    assertThat(endpoints.prometheusAddress()).isEqualTo(endpoints.healthAddress());
    InetSocketAddress shared = endpoints.healthAddress().orElseThrow();
    assertThat(get(shared, "/prom").statusCode()).isEqualTo(200);
    assertThat(get(shared, "/metrics").statusCode()).isEqualTo(200);
    assertThat(get(shared, "/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void nothingIsServedWhenNothingIsConfigured() throws Exception {
    start(config(Optional.empty(), Optional.empty(), "/metrics"));
    assertThat(endpoints.healthAddress()).isEmpty();
    assertThat(endpoints.prometheusAddress()).isEmpty();
  }

  @Test
  void anAddressInUseFailsStartUp() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      MetricsConfig config = config(Optional.of(new InetSocketAddress(LOOPBACK, taken.getLocalPort())),
          Optional.empty(), "/metrics");
      assertThatThrownBy(() -> start(config)).isInstanceOf(BindException.class);
    }
  }

  @Test
  void closeStopsServing() throws Exception {
    InetSocketAddress health = start(config(Optional.of(ANY_LOOPBACK_PORT), Optional.empty(), "/metrics"))
        .healthAddress().orElseThrow();
    assertThat(get(health, "/healthz").statusCode()).isEqualTo(200);

    endpoints.close();
    assertThatThrownBy(() -> get(health, "/healthz")).isInstanceOf(IOException.class);
  }
}
