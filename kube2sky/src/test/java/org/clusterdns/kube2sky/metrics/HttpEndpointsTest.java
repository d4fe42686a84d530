package org.clusterdns.kube2sky.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicReference<Optional<String>> notReady =
      new AtomicReference<>(Optional.of("the first full reconcile has not finished"));
  private final Kube2SkyMetrics metrics = new Kube2SkyMetrics(() -> 3, () -> 42);
  private HttpEndpoints endpoints;

  @BeforeEach
  void start() throws Exception {
    endpoints = HttpEndpoints.start(new InetSocketAddress(LOOPBACK, 0), metrics.registry(), notReady::get);
  }

  @AfterEach
  void stop() {
    endpoints.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    InetSocketAddress address = endpoints.address();
    URI uri = URI.create("http://" + address.getHostString() + ":" + address.getPort() + path);
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void portZeroPicksAFreePortOnTheGivenAddress() {
    assertThat(endpoints.address().getAddress()).isEqualTo(LOOPBACK);
    assertThat(endpoints.address().getPort()).isPositive();
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
    assertThat(notYet.body()).isEqualTo("not ready: the first full reconcile has not finished\n");

    notReady.set(Optional.empty());
    HttpResponse<String> ready = send("GET", "/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready\n");

    notReady.set(Optional.of("etcd is failing"));
    assertThat(send("GET", "/readyz").statusCode()).isEqualTo(503);
  }

  @Test
  void readinessAnswersAsReadyzForOldManifests() throws Exception {
    assertThat(send("GET", "/readiness").statusCode()).isEqualTo(503);
    notReady.set(Optional.empty());
    assertThat(send("GET", "/readiness").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsAreInThePrometheusTextFormat() throws Exception {
    metrics.reconciled(new ServiceKey("shop", "web"), 1, 0, 5_000_000);

    HttpResponse<String> response = send("GET", "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain; version=0.0.4");
    assertThat(response.body()).contains("kube2sky_reconciles_total{result=\"changed\"} 1.0",
        "kube2sky_queue_depth 3.0", "kube2sky_records_owned 42.0", "kube2sky_programming_latency_seconds_count 1");
  }

  @Test
  void headAnswersWithoutABody() throws Exception {
    HttpResponse<String> response = send("HEAD", "/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("Content-Length")).contains("3");
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
    assertThat(send("GET", "/").statusCode()).isEqualTo(404);
  }

  @Test
  void aFailingReadinessCheckAnswersNothingAndTheServerKeepsServing() throws Exception {
    notReady.set(null); // Optional.isEmpty() on null throws inside the handler

    assertThatThrownBy(() -> send("GET", "/readyz")).isInstanceOf(IOException.class);
    assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void aTakenPortIsReported() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, LOOPBACK)) {
      assertThatThrownBy(() -> HttpEndpoints.start(new InetSocketAddress(LOOPBACK, taken.getLocalPort()),
          metrics.registry(), Optional::empty))
          .isInstanceOf(BindException.class);
    }
  }

  @Test
  void closeStopsServing() throws Exception {
    endpoints.close();

    assertThatThrownBy(() -> send("GET", "/healthz")).isInstanceOf(IOException.class);
  }
}
