package org.clusterdns.kube2sky.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube2sky's operations HTTP endpoints on one address: {@code /healthz} (200 while the process
 * runs), {@code /readyz} (200 once ready, else 503 with the reason) and {@code /metrics}
 * (Prometheus text format). {@code /readiness}, where kube2sky served its readiness, answers as
 * {@code /readyz} so old manifests keep working.
 *
 * @implNote Two daemon threads serve every request; each answer is computed in memory.
 */
public final class HttpEndpoints implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);
  private static final String TEXT = "text/plain; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private HttpEndpoints(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code address} and starts serving.
   *
   * @param address where to listen; port 0 picks a free port (see {@link #address()})
   * @param registry what {@code /metrics} shows
   * @param notReadyReason says why kube2sky is not ready, or empty when it is; asked at every
   *     {@code /readyz} request, so it must be quick and thread-safe
   * @throws IOException when the address cannot be bound
   */
  public static HttpEndpoints start(InetSocketAddress address, PrometheusRegistry registry,
      Supplier<Optional<String>> notReadyReason) throws IOException {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(notReadyReason, "notReadyReason");
    HttpServer server = HttpServer.create(address, 0);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(2, task -> {
      Thread thread = new Thread(task, "http-endpoints-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    HttpHandler readiness = exchange -> {
      Optional<String> reason = notReadyReason.get();
      if (reason.isEmpty()) {
        respond(exchange, 200, TEXT, bytes("ready\n"));
      } else {
        respond(exchange, 503, TEXT, bytes("not ready: " + reason.get() + "\n"));
      }
    };
    server.createContext("/healthz", exact("/healthz", exchange -> respond(exchange, 200, TEXT, bytes("ok\n"))));
    server.createContext("/readyz", exact("/readyz", readiness));
    server.createContext("/readiness", exact("/readiness", readiness));
    server.createContext("/metrics", exact("/metrics", new MetricsHandler(registry)));
    server.start();
    LOG.info("Serving /healthz, /readyz and /metrics on {}", server.getAddress());
    return new HttpEndpoints(server, executor);
  }

  /** Returns the bound address (with the port chosen when port 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops serving at once and ends the serving threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Serves {@code handler} for GET and HEAD of exactly {@code path}: contexts otherwise match every longer path. */
  private static HttpHandler exact(String path, HttpHandler handler) {
    return exchange -> {
      try (exchange) {
        if (!exchange.getRequestURI().getPath().equals(path)) {
          respond(exchange, 404, TEXT, bytes("not found\n"));
        } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
          exchange.getResponseHeaders().set("Allow", "GET, HEAD");
          respond(exchange, 405, TEXT, bytes("method not allowed\n"));
        } else {
          handler.handle(exchange);
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("HTTP {} {} from {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(),
            exchange.getRemoteAddress(), e.toString());
      }
    };
  }

  private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes the registry in the Prometheus text format. */
  private static final class MetricsHandler implements HttpHandler {
    private final PrometheusRegistry registry;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    MetricsHandler(PrometheusRegistry registry) {
      this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
      writer.write(body, registry.scrape());
      respond(exchange, 200, PrometheusTextFormatWriter.CONTENT_TYPE, body.toByteArray());
    }
  }
}
