package org.clusterdns.process.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.metrics.Counter;
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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperationsServerTest {
  private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicReference<Optional<String>> notReady = new AtomicReference<>(Optional.of("still loading"));
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private OperationsServer server;

  @BeforeEach
  void start() throws Exception {
    Counter.builder().name("jobs_total").help("Jobs done.").register(registry).inc(2);
    server = OperationsServer.on(ANY_LOOPBACK_PORT)
        .health(notReady::get, "/readiness")
        .metrics(registry, "/metrics")
        .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(OperationsServer target, String method, String path) throws Exception {
    InetSocketAddress address = target.address();
    URI uri = URI.create("http://" + address.getHostString() + ":" + address.getPort() + path);
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return send(server, method, path);
  }

  @Test
  void portZeroPicksAFreePortOnTheGivenAddress() {
    assertThat(server.address().getAddress()).isEqualTo(ANY_LOOPBACK_PORT.getAddress());
    assertThat(server.address().getPort()).isPositive();
  }

  @Test
  void healthzIsOkWhileTheProcessRuns() throws Exception {
    HttpResponse<String> response = send("GET", "/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void readyzSaysWhyUntilReady() throws Exception {
    HttpResponse<String> notYet = send("GET", "/readyz");
    assertThat(notYet.statusCode()).isEqualTo(503);
    assertThat(notYet.body()).isEqualTo("not ready: still loading\n");

    notReady.set(Optional.empty());
    HttpResponse<String> ready = send("GET", "/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready\n");

    notReady.set(Optional.of("lost the store"));
    assertThat(send("GET", "/readyz").body()).isEqualTo("not ready: lost the store\n");
  }

  @Test
  void aReadinessAliasAnswersAsReadyz() throws Exception {
    assertThat(send("GET", "/readiness").statusCode()).isEqualTo(503);
    notReady.set(Optional.empty());
    HttpResponse<String> ready = send("GET", "/readiness");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready\n");
  }

  @Test
  void metricsAreInThePrometheusTextFormat() throws Exception {
    HttpResponse<String> response = send("GET", "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain; version=0.0.4");
    assertThat(response.body()).contains("# TYPE jobs_total counter", "jobs_total 2.0");
  }

  @Test
  void headAnswersWithoutABody() throws Exception {
    HttpResponse<String> response = send("HEAD", "/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("Content-Length")).contains("3");
    assertThat(send("HEAD", "/readyz").statusCode()).isEqualTo(503);
  }

  @Test
  void otherMethodsAreRefused() throws Exception {
    HttpResponse<String> response = send("POST", "/metrics");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
  }

  @Test
  void otherPathsAreNotFound() throws Exception {
    assertThat(send("GET", "/healthz/extra").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/readyzz").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/metrics/x").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/").statusCode()).isEqualTo(404);
  }

  @Test
  void aFailingReadinessCheckAnswersNothingAndTheServerKeepsServing() throws Exception {
    notReady.set(null); // Optional.isEmpty() on null throws inside the handler

    assertThatThrownBy(() -> send("GET", "/readyz")).isInstanceOf(IOException.class);
    assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void aMetricsOnlyServerServesTheMetricsAtEveryPathAskedForAndNothingElse() throws Exception {
    try (OperationsServer metricsOnly = OperationsServer.on(ANY_LOOPBACK_PORT)
        .metrics(registry, "/prom")
        .metrics(registry, "/metrics")
        .start()) {
      assertThat(send(metricsOnly, "GET", "/prom").body()).contains("jobs_total 2.0");
      assertThat(send(metricsOnly, "GET", "/metrics").body()).contains("jobs_total 2.0");
      assertThat(send(metricsOnly, "GET", "/healthz").statusCode()).isEqualTo(404);
      assertThat(send(metricsOnly, "GET", "/readyz").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aPathIsServedOnceAndMustBeAbsolute() {
    OperationsServer.Builder builder = OperationsServer.on(ANY_LOOPBACK_PORT).health(Optional::empty);

    assertThatIllegalArgumentException().isThrownBy(() -> builder.metrics(registry, "/readyz"))
        .withMessageContaining("/readyz");
    assertThatIllegalArgumentException().isThrownBy(() -> builder.metrics(registry, "metrics"))
        .withMessageContaining("metrics");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> OperationsServer.on(ANY_LOOPBACK_PORT).health(Optional::empty, "/healthz"));
  }

  @Test
  void aTakenPortIsReported() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, ANY_LOOPBACK_PORT.getAddress())) {
      InetSocketAddress address = new InetSocketAddress(ANY_LOOPBACK_PORT.getAddress(), taken.getLocalPort());
      assertThatThrownBy(() -> OperationsServer.on(address).health(Optional::empty).start())
          .isInstanceOf(BindException.class);
    }
  }

  @Test
  void closeStopsServing() throws Exception {
    server.close();

    assertThatThrownBy(() -> send("GET", "/healthz")).isInstanceOf(IOException.class);
  }
}
