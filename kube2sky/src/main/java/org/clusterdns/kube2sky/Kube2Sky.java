package org.clusterdns.kube2sky;

import io.etcd.jetcd.Client;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.clusterdns.kube2sky.config.Kube2SkyConfig;
import org.clusterdns.kube2sky.metrics.Kube2SkyMetrics;
import org.clusterdns.kube2sky.records.RecordsConfig;
import org.clusterdns.kube2sky.records.ServiceRecords;
import org.clusterdns.kube2sky.sync.EtcdRecordStore;
import org.clusterdns.kube2sky.sync.RecordStore;
import org.clusterdns.kube2sky.sync.Synchronizer;
import org.clusterdns.kube2sky.watch.ClusterInformers;
import org.clusterdns.process.http.OperationsServer;
import org.clusterdns.records.EtcdPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running kube2sky: informers feed changed Service keys to the synchroniser, which keeps etcd
 * equal to the records the cluster's Services call for; metrics and health endpoints report on it.
 */
public final class Kube2Sky implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Kube2Sky.class);

  private final ClusterInformers informers;
  private final Synchronizer synchronizer;
  private final OperationsServer http;

  private Kube2Sky(ClusterInformers informers, Synchronizer synchronizer, OperationsServer http) {
    this.informers = informers;
    this.synchronizer = synchronizer;
    this.http = http;
  }

  /**
   * Starts kube2sky for {@code config}, reading the cluster through {@code kubernetes} and writing
   * to etcd through {@code etcd} (both owned and closed by the caller). Returns once the health
   * endpoints listen; informers list and the first full reconcile runs in the background.
   *
   * @throws IOException when the health address cannot be bound
   */
  public static Kube2Sky start(Kube2SkyConfig config, KubernetesClient kubernetes, Client etcd) throws IOException {
    return start(config, kubernetes, new EtcdRecordStore(etcd, config.etcd().requestTimeout(), config.etcdMaxTxnOps()));
  }

  /** Starts kube2sky writing to {@code store}; tests use an in-memory store. */
  static Kube2Sky start(Kube2SkyConfig config, KubernetesClient kubernetes, RecordStore store) throws IOException {
    ServiceRecords records = new ServiceRecords(new RecordsConfig(config.domain(),
        new EtcdPath(config.etcd().pathPrefix()), RecordsConfig.DEFAULT_TTL, config.legacyNames()));
    // Informers, metrics and the synchroniser refer to each other; events and scrapes only start
    // after the reference is set.
    AtomicReference<Synchronizer> synchronizer = new AtomicReference<>();
    ClusterInformers informers = new ClusterInformers(kubernetes,
        (key, eventNanos) -> synchronizer.get().enqueue(key, eventNanos));
    Kube2SkyMetrics metrics = new Kube2SkyMetrics(
        () -> synchronizer.get().queueDepth(), () -> synchronizer.get().recordsOwned());
    synchronizer.set(new Synchronizer(new ServiceRecordSource(informers, records), store, metrics,
        config.resyncPeriod()));
    // /readiness is where kube2sky served its readiness; old manifests keep working.
    OperationsServer http = OperationsServer.on(config.healthzAddress())
        .health(() -> notReadyReason(informers, synchronizer.get()), "/readiness")
        .metrics(metrics.registry(), "/metrics")
        .start();
    synchronizer.get().start();
    informers.start();
    log.info("publishing the Services of {} as {} records under /{} in {}; health on {}",
        kubernetes.getMasterUrl(), config.domain(), config.etcd().pathPrefix(), config.etcd().endpoints(),
        http.address());
    return new Kube2Sky(informers, synchronizer.get(), http);
  }

  private static Optional<String> notReadyReason(ClusterInformers informers, Synchronizer synchronizer) {
    if (!informers.hasSynced()) {
      return Optional.of("the Service and EndpointSlice informers have not completed their first list");
    }
    if (!synchronizer.isReady()) {
      return Optional.of("the first full reconcile with etcd has not completed");
    }
    return Optional.empty();
  }

  /** Returns whether the first full reconcile is done: etcd holds every Service's records. */
  public boolean isReady() {
    return informers.hasSynced() && synchronizer.isReady();
  }

  /** Returns the bound address of {@code /healthz}, {@code /readyz} and {@code /metrics}. */
  public InetSocketAddress healthAddress() {
    return http.address();
  }

  /** Stops watching, stops writing, stops the endpoints. Records in etcd stay. */
  @Override
  public void close() {
    informers.close();
    synchronizer.close();
    http.close();
    log.info("stopped");
  }
}
