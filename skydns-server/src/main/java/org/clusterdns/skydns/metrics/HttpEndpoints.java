package org.clusterdns.skydns.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.clusterdns.process.http.OperationsServer;
import org.clusterdns.skydns.config.MetricsConfig;

/**
 * The operations HTTP endpoints: {@code /healthz} (200 while the process runs), {@code /readyz}
 * (200 once ready, else 503 saying why) and {@code /metrics} (Prometheus text format) on the
 * health address; and, when {@code PROMETHEUS_PORT} is set, the metrics on that port as well, at
 * {@code PROMETHEUS_PATH}. When that port is the health address's port, one server serves both.
 *
 * @implNote Each address is one {@link OperationsServer}.
 */
public final class HttpEndpoints implements AutoCloseable {
  private static final Optional<String> NOT_READY =
      Optional.of("the records have not been loaded from etcd yet");

  private final List<OperationsServer> servers;
  private final Optional<InetSocketAddress> healthAddress;
  private final Optional<InetSocketAddress> prometheusAddress;

  private HttpEndpoints(List<OperationsServer> servers, Optional<InetSocketAddress> healthAddress,
      Optional<InetSocketAddress> prometheusAddress) {
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
    Optional<InetSocketAddress> healthAddress = config.healthAddress();
    Optional<Integer> prometheusPort = config.prometheusPort();
    // Port 0 asks for two free ports, never for one shared server.
    boolean shared = healthAddress.isPresent() && prometheusPort.isPresent() && prometheusPort.get() != 0
        && prometheusPort.get() == healthAddress.get().getPort();
    List<OperationsServer> servers = new ArrayList<>();
    try {
      Optional<OperationsServer> health = Optional.empty();
      if (healthAddress.isPresent()) {
        OperationsServer.Builder builder = OperationsServer.on(healthAddress.get())
            .health(() -> ready.getAsBoolean() ? Optional.empty() : NOT_READY)
            .metrics(registry, "/metrics");
        if (shared && !config.prometheusPath().equals("/metrics")) {
          builder.metrics(registry, config.prometheusPath());
        }
        health = Optional.of(started(builder, servers));
      }
      Optional<OperationsServer> prometheus = shared ? health : Optional.empty();
      if (prometheusPort.isPresent() && !shared) {
        prometheus = Optional.of(started(
            OperationsServer.on(new InetSocketAddress(prometheusHost, prometheusPort.get()))
                .metrics(registry, config.prometheusPath()),
            servers));
      }
      return new HttpEndpoints(List.copyOf(servers), health.map(OperationsServer::address),
          prometheus.map(OperationsServer::address));
    } catch (IOException | RuntimeException e) {
      servers.forEach(OperationsServer::close);
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
    servers.forEach(OperationsServer::close);
  }

  private static OperationsServer started(OperationsServer.Builder builder, List<OperationsServer> servers)
      throws IOException {
    OperationsServer server = builder.start();
    servers.add(server);
    return server;
  }
}
