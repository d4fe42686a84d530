package org.clusterdns.process.http;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server on one address for a process's operations endpoints: {@code /healthz} (200 while
 * the process runs), {@code /readyz} and any readiness aliases (200 once ready, else 503 saying
 * why), and the metrics of a {@link PrometheusRegistry} in the Prometheus text format at the paths
 * asked for. Only those exact paths are served, for GET and HEAD only: other paths answer 404 and
 * other methods 405.
 *
 * <p>Build one with {@link #on(InetSocketAddress)}, for example
 * {@code OperationsServer.on(address).health(notReadyReason).metrics(registry, "/metrics").start()}.
 *
 * @implNote Two daemon threads serve every request; each answer is computed in memory.
 */
public final class OperationsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperationsServer.class);
  private static final String TEXT = "text/plain; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private OperationsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts describing a server that will listen on {@code address}; port 0 picks a free port. */
  public static Builder on(InetSocketAddress address) {
    return new Builder(Objects.requireNonNull(address, "address"));
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

  /** Collects the endpoints of an {@link OperationsServer}, then binds and starts it. */
  public static final class Builder {
    private final InetSocketAddress address;
    private final Map<String, HttpHandler> routes = new LinkedHashMap<>();

    private Builder(InetSocketAddress address) {
      this.address = address;
    }

    /**
     * Serves {@code /healthz}, and the readiness at {@code /readyz} and at each of
     * {@code readinessAliases}.
     *
     * @param notReadyReason says why the process is not ready, or empty when it is; asked at every
     *     readiness request, so it must be quick and thread-safe
     * @param readinessAliases further paths that answer as {@code /readyz}, such as an older name
     * @throws IllegalArgumentException when a path is not absolute or is already served
     */
    public Builder health(Supplier<Optional<String>> notReadyReason, String... readinessAliases) {
      Objects.requireNonNull(notReadyReason, "notReadyReason");
      route("/healthz", exchange -> respond(exchange, 200, TEXT, bytes("ok\n")));
      HttpHandler readiness = exchange -> {
        Optional<String> reason = notReadyReason.get();
        if (reason.isEmpty()) {
          respond(exchange, 200, TEXT, bytes("ready\n"));
        } else {
          respond(exchange, 503, TEXT, bytes("not ready: " + reason.get() + "\n"));
        }
      };
      route("/readyz", readiness);
      for (String alias : readinessAliases) {
        route(alias, readiness);
      }
      return this;
    }

    /**
     * Serves the metrics of {@code registry} at {@code path}; call again to serve them at another
     * path as well.
     *
     * @throws IllegalArgumentException when {@code path} is not absolute or is already served
     */
    public Builder metrics(PrometheusRegistry registry, String path) {
      route(path, new MetricsHandler(Objects.requireNonNull(registry, "registry")));
      return this;
    }

    /**
     * Binds the address and starts serving.
     *
     * @throws IOException when the address cannot be bound
     */
    public OperationsServer start() throws IOException {
      HttpServer server = HttpServer.create(address, 0);
      AtomicInteger threads = new AtomicInteger();
      ExecutorService executor = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "operations-http-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });
      server.setExecutor(executor);
      routes.forEach((path, handler) -> server.createContext(path, exact(path, handler)));
      server.start();
      LOG.info("Serving {} on {}", routes.keySet(), server.getAddress());
      return new OperationsServer(server, executor);
    }

    private void route(String path, HttpHandler handler) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("not an absolute HTTP path: " + path);
      }
      if (routes.putIfAbsent(path, handler) != null) {
        throw new IllegalArgumentException("already served: " + path);
      }
    }
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
        // The exchange is closed without an answer; the server goes on serving other requests.
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
