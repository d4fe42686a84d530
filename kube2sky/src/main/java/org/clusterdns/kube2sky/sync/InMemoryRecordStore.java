package org.clusterdns.kube2sky.sync;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link RecordStore} in memory with etcd's revision semantics: every commit that changes
 * something is one revision. For tests of everything above the store, and for running kube2sky
 * without etcd.
 *
 * @implNote Thread-safe; every method holds the store's lock.
 */
public final class InMemoryRecordStore implements RecordStore {
  private final TreeMap<String, String> values = new TreeMap<>();
  private long revision = 1;

  @Override
  public synchronized Snapshot read(Collection<String> ranges) {
    Map<String, String> found = new HashMap<>();
    for (String range : ranges) {
      if (range.endsWith("/")) {
        found.putAll(values.subMap(range, range + Character.MAX_VALUE));
      } else if (values.containsKey(range)) {
        found.put(range, values.get(range));
      }
    }
    return new Snapshot(found, revision);
  }

  @Override
  public synchronized Page scan(String directory, String from, int limit) {
    TreeSet<String> page = new TreeSet<>();
    String start = from.compareTo(directory) < 0 ? directory : from;
    for (String key : values.subMap(start, true, directory + Character.MAX_VALUE, false).keySet()) {
      if (page.size() == limit) {
        return new Page(page, revision, true);
      }
      page.add(key);
    }
    return new Page(page, revision, false);
  }

  @Override
  public synchronized long commit(List<Change> changes) {
    boolean changed = false;
    for (Change change : changes) {
      for (Map.Entry<String, String> put : change.puts().entrySet()) {
        changed |= !put.getValue().equals(values.put(put.getKey(), put.getValue()));
      }
      for (String key : change.deletes()) {
        changed |= values.remove(key) != null;
      }
    }
    if (changed) {
      revision++;
    }
    return revision;
  }

  /** Returns a copy of every key and value. */
  public synchronized Map<String, String> contents() {
    return new TreeMap<>(values);
  }

  /**
   * Forgets every key and starts the revisions again, as an etcd that restarted on an empty data
   * directory does.
   */
  public synchronized void wipe() {
    values.clear();
    revision = 1;
  }
}
