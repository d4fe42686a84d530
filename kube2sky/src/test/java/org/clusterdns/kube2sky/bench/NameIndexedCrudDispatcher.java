package org.clusterdns.kube2sky.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * fabric8's CRUD dispatcher with its objects indexed by name. The stock one looks an object up by
 * scanning every stored object, once per create, so filling it with n Services costs O(n²): 30,000
 * took over 3 minutes here, 100,000 would take over an hour. With the index, a lookup that names
 * its object reads only the objects of that name; other lookups (lists, watches) scan as before.
 *
 * @implNote Replaces the dispatcher's private store (a {@link LinkedHashMap}) with one that keeps
 *     the index on {@code put}, {@code remove} and {@code clear}, the only ways the dispatcher
 *     changes it (fabric8 7.8.0). Index entries are checked against the store before use, so an
 *     object removed some other way is never returned.
 */
final class NameIndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private static final String NAME = "name";

  private final IndexedStore store = new IndexedStore();

  NameIndexedCrudDispatcher() {
    try {
      Field map = CrudDispatcher.class.getDeclaredField("map");
      map.setAccessible(true);
      map.set(this, store);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this fabric8 version's CRUD dispatcher has no store to index", e);
    }
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    String name = nameOf(query);
    if (name == null) {
      return super.findResource(query);
    }
    for (AttributeSet candidate : store.named(name)) {
      String object = store.get(candidate);
      if (object != null && candidate.matches(query)) {
        return Map.entry(candidate, object);
      }
    }
    return null;
  }

  private static String nameOf(AttributeSet attributes) {
    Attribute name = attributes.getAttribute(NAME);
    return name == null || name.getValues().size() != 1 ? null : name.getValues().get(0).toString();
  }

  /** The dispatcher's store, in insertion order as before, with the index by name. */
  private static final class IndexedStore extends LinkedHashMap<AttributeSet, String> {
    private static final long serialVersionUID = 1L;
    private final transient Map<String, Set<AttributeSet>> byName = new HashMap<>();

    Set<AttributeSet> named(String name) {
      return byName.getOrDefault(name, Set.of());
    }

    @Override
    public String put(AttributeSet key, String value) {
      String name = nameOf(key);
      if (name != null) {
        byName.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(key);
      }
      return super.put(key, value);
    }

    @Override
    public String remove(Object key) {
      if (key instanceof AttributeSet attributes) {
        String name = nameOf(attributes);
        Set<AttributeSet> named = name == null ? null : byName.get(name);
        if (named != null) {
          named.remove(attributes);
          if (named.isEmpty()) {
            byName.remove(name);
          }
        }
      }
      return super.remove(key);
    }

    @Override
    public void clear() {
      byName.clear();
      super.clear();
    }
  }
}
