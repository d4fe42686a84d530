package org.clusterdns.skydns.backend;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.clusterdns.records.EtcdPath;

/**
 * The whole SkyDNS tree in memory, sorted by key: the {@link Backend} every query reads.
 *
 * <p>The etcd backend fills it with one range read and keeps it current from a watch; tests fill
 * it directly. Readers never block writers: single-key changes go into a concurrent sorted map,
 * and a full reload swaps in a new map at once, so a reader sees either the old tree or the new
 * one, never a half-loaded one. A batch of changes ({@link #apply}) is not swapped in at once:
 * copying the map per batch would cost O(n) for every watch message. Instead it stores all new
 * values before it removes anything, so while it runs a reader sees the old keys and some new
 * ones, or the new keys and some old ones: a name that exists before and after the batch never
 * goes missing in between, though it may briefly hold both old and new services.
 *
 * @implNote Thread-safe. Lookups cost O(log n + matches).
 */
public final class InMemoryIndex implements Backend {
  private final EtcdPath path;
  private volatile ConcurrentSkipListMap<String, ServiceEntry> entries = new ConcurrentSkipListMap<>();
  private final AtomicLong generation = new AtomicLong();
  private volatile boolean synced;

  /** Creates an empty, not yet synced index for keys under {@code path}. */
  public InMemoryIndex(EtcdPath path) {
    this.path = path;
  }

  /** Returns the name/key mapping the index uses. */
  public EtcdPath path() {
    return path;
  }

  /** Stores or replaces the entry at its key. */
  public void put(ServiceEntry entry) {
    entries.put(entry.key(), entry);
    generation.incrementAndGet();
  }

  /** Removes the entry at {@code key}, if any. */
  public void remove(String key) {
    if (entries.remove(key) != null) {
      generation.incrementAndGet();
    }
  }

  /**
   * Stores {@code puts} and then removes {@code deletes}, and changes {@link #generation()} once,
   * after both, so an answer built from a half-applied batch is never cached as current.
   *
   * @param puts the entries to store or replace, by key
   * @param deletes the keys to remove; none of them may be a key of {@code puts}
   */
  public void apply(Map<String, ServiceEntry> puts, Collection<String> deletes) {
    ConcurrentSkipListMap<String, ServiceEntry> current = entries;
    boolean changed = !puts.isEmpty();
    current.putAll(puts);
    for (String key : deletes) {
      changed |= current.remove(key) != null;
    }
    if (changed) {
      generation.incrementAndGet();
    }
  }

  /** Replaces the whole content at once and marks the index synced. */
  public void replaceAll(Map<String, ServiceEntry> content) {
    entries = new ConcurrentSkipListMap<>(content);
    generation.incrementAndGet();
    synced = true;
  }

  /** Marks the index synced (for an index filled entry by entry). */
  public void markSynced() {
    synced = true;
    generation.incrementAndGet();
  }

  /** Returns the number of stored services. */
  public int size() {
    return entries.size();
  }

  /** Returns the entry stored exactly at {@code key}, if any. */
  public Optional<ServiceEntry> get(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  @Override
  public Lookup records(String name, boolean exact) {
    EtcdPath.Query query = path.query(name);
    ConcurrentSkipListMap<String, ServiceEntry> snapshot = entries;
    String at = query.path();
    ServiceEntry leaf = snapshot.get(at);
    NavigableMap<String, ServiceEntry> below = snapshot.subMap(at + "/", true, at + "0", false);
    if (leaf == null && below.isEmpty()) {
      return Lookup.NOT_FOUND;
    }
    if (exact && !query.wildcard()) {
      return new Lookup(true, leaf == null ? List.of() : List.of(leaf));
    }
    List<ServiceEntry> matches = new ArrayList<>();
    if (leaf != null && (!query.wildcard() || query.matches(leaf.key()))) {
      matches.add(leaf);
    }
    for (ServiceEntry entry : below.values()) {
      if (!query.wildcard() || query.matches(entry.key())) {
        matches.add(entry);
      }
    }
    return new Lookup(true, matches);
  }

  @Override
  public Optional<ServiceEntry> reverseRecord(String name) {
    EtcdPath.Query query = path.query(name);
    if (query.wildcard()) {
      return Optional.empty();
    }
    ConcurrentSkipListMap<String, ServiceEntry> snapshot = entries;
    String at = query.path();
    if (!snapshot.subMap(at + "/", true, at + "0", false).isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(snapshot.get(at));
  }

  @Override
  public boolean isSynced() {
    return synced;
  }

  @Override
  public long generation() {
    return generation.get();
  }
}
