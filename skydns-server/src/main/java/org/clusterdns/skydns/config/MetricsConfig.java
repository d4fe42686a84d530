package org.clusterdns.skydns.config;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the operations endpoints listen and how metrics are named.
 *
 * @param healthAddress the HTTP address of {@code /healthz}, {@code /readyz} and {@code /metrics}
 *     ({@code 127.0.0.1:8081}); empty when switched off
 * @param prometheusPort a further port, on all interfaces, that serves the metrics at
 *     {@code prometheusPath} ({@code PROMETHEUS_PORT}); empty when not set
 * @param prometheusPath the path of the metrics on {@code prometheusPort} ({@code /metrics})
 * @param namespace the first part of every metric name ({@code skydns})
 * @param subsystem the second part of every metric name ({@code skydns})
 */
public record MetricsConfig(
    Optional<InetSocketAddress> healthAddress,
    Optional<Integer> prometheusPort,
    String prometheusPath,
    String namespace,
    String subsystem) {

  /** Checks that nothing is null. */
  public MetricsConfig {
    Objects.requireNonNull(healthAddress, "healthAddress");
    Objects.requireNonNull(prometheusPort, "prometheusPort");
    Objects.requireNonNull(prometheusPath, "prometheusPath");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(subsystem, "subsystem");
  }
}
