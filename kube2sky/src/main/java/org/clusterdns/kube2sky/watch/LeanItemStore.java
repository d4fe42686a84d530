package org.clusterdns.kube2sky.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * An informer's item store that keeps a lean record of each object ({@link LeanObjects}) instead
 * of the object the API server sent, and rebuilds a fabric8 object holding just those fields when
 * the informer or kube2sky reads one. Keys are fabric8's {@code namespace/name}.
 *
 * <p>The informer still hands its event handlers the objects the API server sent; only the old
 * object of an update and the object of a delete come from this store, and those keep what the
 * handlers and the indexes read (namespace, name, resourceVersion, the Service label). fabric8
 * compares the resourceVersions of the stored and the new object to drop unchanged updates, so
 * that comparison still works.
 *
 * @param <T> the fabric8 type
 * @param <L> the lean record kept
 * @implNote Thread-safe. Each read builds a new object: callers may keep it, but it does not
 *     change with the cache.
 */
final class LeanItemStore<T extends HasMetadata, L> implements ItemStore<T> {
  private final Map<String, L> items = new ConcurrentHashMap<>();
  private final Function<T, L> lean;
  private final Function<L, T> restore;

  LeanItemStore(Function<T, L> lean, Function<L, T> restore) {
    this.lean = lean;
    this.restore = restore;
  }

  /** Returns the lean records themselves, for reading many without rebuilding objects. */
  Stream<L> leanValues() {
    return items.values().stream();
  }

  @Override
  public String getKey(T object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  @Override
  public T put(String key, T object) {
    return restored(items.put(key, lean.apply(object)));
  }

  @Override
  public T remove(String key) {
    return restored(items.remove(key));
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<T> values() {
    return items.values().stream().map(restore);
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public T get(String key) {
    return restored(items.get(key));
  }

  private T restored(L item) {
    return item == null ? null : restore.apply(item);
  }
}
