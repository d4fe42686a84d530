package org.clusterdns.skydns.config;

import org.clusterdns.etcd.EtcdConfig;

import java.util.Objects;
import org.clusterdns.records.EtcdPath;

/**
 * What flags and environment say, validated: enough to reach etcd, start the operations endpoints
 * and read the {@code /<prefix>/config} object, which
 * {@link ServerConfigLoader#complete(BootstrapConfig, java.util.Optional)} then applies. Immutable.
 */
public final class BootstrapConfig {
  private final EtcdConfig etcd;
  private final MetricsConfig metrics;
  private final boolean verbose;
  private final boolean stubZones;
  private final Settings settings;

  BootstrapConfig(EtcdConfig etcd, MetricsConfig metrics, boolean verbose, boolean stubZones, Settings settings) {
    this.etcd = Objects.requireNonNull(etcd, "etcd");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.verbose = verbose;
    this.stubZones = stubZones;
    this.settings = settings.copy();
  }

  /** Returns how to reach etcd; the config object cannot change it. */
  public EtcdConfig etcd() {
    return etcd;
  }

  /** Returns the etcd key of the configuration object, {@code /<prefix>/config}. */
  public String configKey() {
    return new EtcdPath(etcd.pathPrefix()).configKey();
  }

  /** Returns the operations endpoints and metric names; the config object cannot change them. */
  public MetricsConfig metrics() {
    return metrics;
  }

  /** Returns whether every query is to be logged. */
  public boolean verbose() {
    return verbose;
  }

  /** Returns whether stub zones are served. */
  public boolean stubZones() {
    return stubZones;
  }

  /** Returns a copy of the values the config object may override. */
  Settings settings() {
    return settings.copy();
  }
}
