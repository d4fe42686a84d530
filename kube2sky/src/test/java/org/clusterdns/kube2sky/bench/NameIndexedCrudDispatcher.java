package org.clusterdns.kube2sky.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import java.lang.reflect.Field;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * fabric8's CRUD dispatcher with its objects indexed by name, and lists served in pages as an API
 * server serves them.
 *
 * <p>Index: the stock dispatcher looks an object up by scanning every stored object, once per
 * create, so filling it with n Services costs O(n²): 30,000 took over 3 minutes here, 100,000 would
 * take over an hour. With the index, a lookup that names its object reads only the objects of that
 * name; other lookups (lists, watches) scan as before.
 *
 * <p>Pages: the stock dispatcher ignores a list's {@code limit} and answers every object at once.
 * An API server answers {@code limit} objects and a {@code continue} token for the rest, and
 * kube2sky's informers ask for pages; without them the benchmark would measure a client holding
 * 100,000 Services in one response, which no real cluster makes it do. A list with {@code limit} is
 * answered from a snapshot of the whole list taken at its first page, like a paginated list at
 * one resourceVersion; the snapshot is dropped once its last page is served.
 *
 * @implNote Replaces the dispatcher's private store (a {@link LinkedHashMap}) with one that keeps
 *     the index on {@code put}, {@code remove} and {@code clear}, the only ways the dispatcher
 *     changes it (fabric8 7.8.0). Index entries are checked against the store before use, so an
 *     object removed some other way is never returned.
 */
final class NameIndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private static final String NAME = "name";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final IndexedStore store = new IndexedStore();
  /** The lists being paged through, by continue token. */
  private final Map<String, ObjectNode> pagedLists = new ConcurrentHashMap<>();

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

  @Override
  public MockResponse handleGet(String path) {
    Map<String, String> query = query(path);
    if (!query.containsKey("limit") || "true".equals(query.get("watch"))) {
      return super.handleGet(path);
    }
    int limit = Integer.parseInt(query.get("limit"));
    String token = query.get("continue");
    ObjectNode list;
    int offset;
    if (token == null) {
      MockResponse whole = super.handleGet(path);
      if (whole.code() != 200) {
        return whole;
      }
      try {
        list = (ObjectNode) JSON.readTree(whole.getBody().readUtf8());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("the mock answered a list that is not JSON", e);
      }
      token = UUID.randomUUID().toString();
      offset = 0;
    } else {
      int colon = token.lastIndexOf(':');
      list = pagedLists.get(token.substring(0, colon));
      if (list == null) {
        return new MockResponse().setResponseCode(410).setBody("{\"kind\":\"Status\",\"code\":410}");
      }
      offset = Integer.parseInt(token.substring(colon + 1));
      token = token.substring(0, colon);
    }
    ArrayNode items = (ArrayNode) list.get("items");
    int end = Math.min(items.size(), offset + limit);
    ObjectNode page = JSON.createObjectNode();
    list.fields().forEachRemaining(field -> {
      if (!field.getKey().equals("items")) {
        page.set(field.getKey(), field.getValue().deepCopy());
      }
    });
    ArrayNode pageItems = page.putArray("items");
    for (int i = offset; i < end; i++) {
      pageItems.add(items.get(i));
    }
    ObjectNode metadata = page.with("metadata");
    if (end < items.size()) {
      pagedLists.put(token, list);
      metadata.put("continue", token + ":" + end);
    } else {
      pagedLists.remove(token);
      metadata.remove("continue");
    }
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
        .setBody(page.toString());
  }

  private static Map<String, String> query(String path) {
    Map<String, String> query = new HashMap<>();
    int start = path.indexOf('?');
    if (start < 0) {
      return query;
    }
    for (String pair : path.substring(start + 1).split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        query.put(pair.substring(0, equals),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
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
