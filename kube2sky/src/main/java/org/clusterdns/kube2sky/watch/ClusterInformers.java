package org.clusterdns.kube2sky.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.clusterdns.kube2sky.watch.LeanObjects.LeanService;
import org.clusterdns.kube2sky.watch.LeanObjects.LeanSlice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8 informers for Services and EndpointSlices ({@code discovery.k8s.io/v1}) in all
 * namespaces. Their event handlers only map each event to the affected Service's
 * {@link ServiceKey} and tell the {@link ChangeListener}; the caches answer {@link ClusterState}.
 *
 * <p>Which events count: every add and delete, and updates whose resourceVersion changed (the
 * same resourceVersion means nothing changed: a resync, or a re-list after a reconnect). An
 * EndpointSlice belongs to the Service named by its label {@value #SERVICE_NAME_LABEL} in its
 * namespace; slices without the label are ignored, and a slice whose label changed reports both
 * Services.
 *
 * <p>When the API server is unreachable, the informers keep their caches and retry list and watch
 * by themselves with backoff, from the start on (the initial list too, so kube2sky waits for an API
 * server instead of exiting). Nothing is reported meanwhile, so no record is removed: deletes are
 * reported only for objects the API server says are gone (a watch event, or absence from a
 * successful re-list).
 *
 * <p>Services are not resynced by the informers: the reconciler's periodic full reconcile walks
 * {@link #services()} instead.
 *
 * <p>Memory: the informers list in pages of {@value #LIST_PAGE_SIZE} objects, and their caches
 * hold lean records ({@link LeanObjects}) with only what the records and the handlers read; the
 * objects returned by {@link #service} and {@link #endpointSlices} are rebuilt from them and hold
 * only those fields.
 *
 * @implNote Thread-safe. The Kubernetes client is the caller's to close.
 */
public final class ClusterInformers implements ClusterState, AutoCloseable {
  /** The label that names an EndpointSlice's Service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private static final Logger LOG = LoggerFactory.getLogger(ClusterInformers.class);
  private static final String BY_SERVICE = "by-service";
  /**
   * Objects per list request: the API server answers a list in pages of this size (client-go's
   * default), so that no response holds every Service of a large cluster at once.
   */
  private static final long LIST_PAGE_SIZE = 500;
  private static final Comparator<EndpointSlice> BY_NAME =
      Comparator.comparing(slice -> slice.getMetadata().getName());

  private final LeanItemStore<Service, LeanService> serviceStore =
      new LeanItemStore<>(LeanService::of, LeanService::toService);
  private final LeanItemStore<EndpointSlice, LeanSlice> sliceStore =
      new LeanItemStore<>(LeanSlice::of, LeanSlice::toEndpointSlice);
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<EndpointSlice> slices;

  /**
   * Creates the informers, not yet started.
   *
   * @param client the API client; it stays the caller's to close
   * @param listener told the key of every Service that may need reconciling
   */
  public ClusterInformers(KubernetesClient client, ChangeListener listener) {
    this(client, listener, 0);
  }

  /** Creates the informers with fabric8's resync every {@code resyncMillis} (0: none), so tests can provoke resyncs. */
  ClusterInformers(KubernetesClient client, ChangeListener listener, long resyncMillis) {
    Objects.requireNonNull(listener, "listener");
    services = client.services().inAnyNamespace().withLimit(LIST_PAGE_SIZE).runnableInformer(resyncMillis);
    slices = client.discovery().v1().endpointSlices().inAnyNamespace().withLimit(LIST_PAGE_SIZE)
        .runnableInformer(resyncMillis);
    services.itemStore(serviceStore).removeNamespaceIndex();
    slices.itemStore(sliceStore).removeNamespaceIndex();
    slices.addIndexers(Map.of(BY_SERVICE, slice -> serviceOf(slice).map(ClusterInformers::indexKey).stream().toList()));
    services.addEventHandler(new KeyReporter<>(listener, service -> Optional.of(keyOf(service))));
    slices.addEventHandler(new KeyReporter<>(listener, ClusterInformers::serviceOf));
    // fabric8 gives up on a failed first list by default; retrying is what kube2sky needs when the
    // API server is not (yet) reachable. fabric8 logs each failure and its retry.
    services.exceptionHandler((started, error) -> true);
    slices.exceptionHandler((started, error) -> true);
  }

  /**
   * Starts listing and watching both kinds; returns at once. The future completes when both
   * caches hold their first complete list (then {@link #hasSynced()} is true); it fails only when
   * the informers are closed before that.
   */
  public CompletableFuture<Void> start() {
    LOG.info("Watching Services and EndpointSlices in all namespaces");
    return CompletableFuture.allOf(services.start().toCompletableFuture(), slices.start().toCompletableFuture())
        .thenRun(() -> LOG.info("Informer caches synced: {} Services, {} EndpointSlices",
            serviceStore.size(), sliceStore.size()));
  }

  @Override
  public boolean hasSynced() {
    return services.hasSynced() && slices.hasSynced();
  }

  @Override
  public Optional<Service> service(ServiceKey key) {
    return Optional.ofNullable(services.getStore().getByKey(Cache.namespaceKeyFunc(key.namespace(), key.name())));
  }

  @Override
  public List<EndpointSlice> endpointSlices(ServiceKey key) {
    return slices.getIndexer().byIndex(BY_SERVICE, indexKey(key)).stream().sorted(BY_NAME).toList();
  }

  @Override
  public Set<ServiceKey> services() {
    return serviceStore.leanValues().map(service -> new ServiceKey(service.namespace(), service.name()))
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Stops both informers; no event is reported afterwards. The caches keep their last content. */
  @Override
  public void close() {
    services.stop();
    slices.stop();
  }

  private static ServiceKey keyOf(HasMetadata object) {
    return new ServiceKey(object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  /** Returns the Service that {@code slice} belongs to, by its label; empty when it has none. */
  private static Optional<ServiceKey> serviceOf(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    if (service == null || service.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ServiceKey(slice.getMetadata().getNamespace(), service));
  }

  // Namespaces and names never contain '/', so the key is unambiguous.
  private static String indexKey(ServiceKey key) {
    return key.namespace() + "/" + key.name();
  }

  /** Reports the Service key of every relevant event to the listener, with the time it arrived. */
  private static final class KeyReporter<T extends HasMetadata> implements ResourceEventHandler<T> {
    private final ChangeListener listener;
    private final Function<T, Optional<ServiceKey>> keyOf;

    KeyReporter(ChangeListener listener, Function<T, Optional<ServiceKey>> keyOf) {
      this.listener = listener;
      this.keyOf = keyOf;
    }

    @Override
    public void onAdd(T object) {
      report("added", object);
    }

    @Override
    public void onUpdate(T oldObject, T newObject) {
      if (Objects.equals(oldObject.getMetadata().getResourceVersion(), newObject.getMetadata().getResourceVersion())) {
        return;
      }
      long now = System.nanoTime();
      Optional<ServiceKey> oldKey = keyOf.apply(oldObject);
      Optional<ServiceKey> newKey = keyOf.apply(newObject);
      LOG.debug("{} {}/{} updated", newObject.getKind(), newObject.getMetadata().getNamespace(),
          newObject.getMetadata().getName());
      newKey.ifPresent(key -> listener.changed(key, now));
      oldKey.filter(key -> !oldKey.equals(newKey)).ifPresent(key -> listener.changed(key, now));
    }

    @Override
    public void onDelete(T object, boolean finalStateUnknown) {
      report("deleted", object);
    }

    private void report(String what, T object) {
      long now = System.nanoTime();
      LOG.debug("{} {}/{} {}", object.getKind(), object.getMetadata().getNamespace(),
          object.getMetadata().getName(), what);
      keyOf.apply(object).ifPresent(key -> listener.changed(key, now));
    }
  }
}
