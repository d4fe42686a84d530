package org.clusterdns.skydns.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.clusterdns.skydns.config.MetricsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations HTTP endpoints: {@code /healthz} (200 while the process runs), {@code /readyz}
 * (200 once ready, else 503 saying why) and {@code /metrics} (Prometheus text format) on the
 * health address; and, when {@code PROMETHEUS_PORT} is set, the metrics on that port as well, at
 * {@code PROMETHEUS_PATH}. When that port is the health address's port, one server serves both.
 *
 * @implNote Two daemon threads serve every request; each answer is computed in memory.
 */
public final class HttpEndpoints implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String NOT_READY = "not ready: the records have not been loaded from etcd yet\n";

  private final ExecutorService executor;
  private final List<HttpServer> servers;
  private final Optional<InetSocketAddress> healthAddress;
  private final Optional<InetSocketAddress> prometheusAddress;

  private HttpEndpoints(ExecutorService executor, List<HttpServer> servers,
      Optional<InetSocketAddress> healthAddress, Optional<InetSocketAddress> prometheusAddress) {
    this.executor = executor;
    this.servers = servers;
    this.healthAddress = healthAddress;
    this.prometheusAddress = prometheusAddress;
  }

  /**
   * Starts the endpoints that {@code config} asks for, with {@code PROMETHEUS_PORT} on all
   * interfaces as SkyDNS does.
   *
   * @throws IOException when an address cannot be bound
   */
  public static HttpEndpoints start(MetricsConfig config, PrometheusRegistry registry, BooleanSupplier ready)
      throws IOException {
    return start(config, registry, ready, new InetSocketAddress(0).getAddress());
  }

  /**
   * Starts the endpoints that {@code config} asks for, with {@code PROMETHEUS_PORT} bound on
   * {@code prometheusHost}.
   *
   * @param ready says whether the server can answer correctly (the first load is complete)
   * @throws IOException when an address cannot be bound
   */
  public static HttpEndpoints start(MetricsConfig config, PrometheusRegistry registry, BooleanSupplier ready,
      InetAddress prometheusHost) throws IOException {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(ready, "ready");
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(2, task -> {
      Thread thread = new Thread(task, "http-endpoints-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    List<HttpServer> servers = new ArrayList<>();
    try {
      HttpHandler metrics = new MetricsHandler(registry);
      HttpServer health = null;
      if (config.healthAddress().isPresent()) {
        health = bind(config.healthAddress().get(), executor, servers);
        health.createContext("/healthz", exact("/healthz", exchange -> respond(exchange, 200, TEXT, bytes("ok\n"))));
        health.createContext("/readyz", exact("/readyz", exchange -> {
          if (ready.getAsBoolean()) {
            respond(exchange, 200, TEXT, bytes("ready\n"));
          } else {
            respond(exchange, 503, TEXT, bytes(NOT_READY));
          }
        }));
        health.createContext("/metrics", exact("/metrics", metrics));
      }
      HttpServer prometheus = null;
      if (config.prometheusPort().isPresent()) {
        int port = config.prometheusPort().get();
        boolean shared = health != null && port != 0 && port == config.healthAddress().get().getPort();
        prometheus = shared ? health : bind(new InetSocketAddress(prometheusHost, port), executor, servers);
        if (!(shared && config.prometheusPath().equals("/metrics"))) {
          prometheus.createContext(config.prometheusPath(), exact(config.prometheusPath(), metrics));
        }
      }
      for (HttpServer server : servers) {
        server.start();
        LOG.info("Serving HTTP endpoints on {}", server.getAddress());
      }
      return new HttpEndpoints(executor, List.copyOf(servers),
          Optional.ofNullable(health).map(HttpServer::getAddress),
          Optional.ofNullable(prometheus).map(HttpServer::getAddress));
    } catch (IOException | RuntimeException e) {
      servers.forEach(server -> server.stop(0));
      executor.shutdownNow();
      throw e;
    }
  }

  /** Returns the bound address of {@code /healthz}, {@code /readyz} and {@code /metrics}, if served. */
  public Optional<InetSocketAddress> healthAddress() {
    return healthAddress;
  }

  /** Returns the bound address of the {@code PROMETHEUS_PORT} metrics, if served. */
  public Optional<InetSocketAddress> prometheusAddress() {
    return prometheusAddress;
  }

  /** Stops every server at once and the threads serving them. */
  @Override
  public void close() {
    servers.forEach(server -> server.stop(0));
    executor.shutdownNow();
  }

  private static HttpServer bind(InetSocketAddress address, ExecutorService executor, List<HttpServer> servers)
      throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    server.setExecutor(executor);
    servers.add(server);
    return server;
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
