package org.clusterdns.kube2sky.sync;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The write side of etcd as kube2sky needs it: read the leaves under some keys, and write a
 * difference atomically.
 *
 * <p>A <em>range</em> names what to read: a string ending with {@code /} stands for every key
 * starting with it; any other string for that exact key. (A raw prefix {@code .../svc/ns/web}
 * would also match {@code .../svc/ns/web2}, so a directory is read as the two ranges {@code dir}
 * and {@code dir + "/"}.)
 *
 * @implNote Implementations are thread-safe, bound every call in time, and report failures with
 *     {@link RecordStoreException}.
 */
public interface RecordStore {

  /**
   * Reads every key in the ranges.
   *
   * @return the keys found with their values, and the store's revision at the read
   * @throws RecordStoreException when the store fails or does not answer in time
   */
  Snapshot read(Collection<String> ranges);

  /**
   * Reads one page of a directory's keys, without their values, in key order: the keys under
   * {@code directory} (which ends with {@code /}) from {@code from} on, {@code from} included, at
   * most {@code limit} of them. The next page starts right after the last key of this one
   * ({@code lastKey + "\0"}).
   *
   * @throws RecordStoreException when the store fails or does not answer in time
   */
  Page scan(String directory, String from, int limit);

  /**
   * Applies the changes: each change is written in one transaction with its puts and deletes
   * together, so a name that exists before and after never disappears. Several changes may share
   * a transaction. A change too large for one transaction is split, with all of its puts written
   * before any of its deletes, which keeps that guarantee.
   *
   * @return the store's revision after the writes (the lowest one when several transactions were
   *     needed)
   * @throws RecordStoreException when the store fails or does not answer in time; some of the
   *     changes may have been applied
   */
  long commit(List<Change> changes);

  /**
   * What a read found.
   *
   * @param values the keys found with their values
   * @param revision the store's revision at the read (the lowest one when several reads were needed)
   */
  record Snapshot(Map<String, String> values, long revision) {
    /** Copies the values. */
    public Snapshot {
      values = Map.copyOf(values);
    }
  }

  /**
   * One page of a directory's keys.
   *
   * @param keys the keys found, in key order
   * @param revision the store's revision at the read
   * @param more whether the directory holds keys after the last one of this page
   */
  record Page(SortedSet<String> keys, long revision, boolean more) {
    /** Copies the keys. */
    public Page {
      keys = Collections.unmodifiableSortedSet(new TreeSet<>(keys));
    }
  }

  /**
   * Keys to write and keys to delete, applied together; no key may be in both.
   *
   * @param puts keys to write with their values
   * @param deletes keys to delete
   */
  record Change(Map<String, String> puts, Set<String> deletes) {
    /** Copies the collections and checks that they are disjoint. */
    public Change {
      puts = Map.copyOf(puts);
      deletes = Set.copyOf(deletes);
      for (String key : deletes) {
        if (puts.containsKey(key)) {
          throw new IllegalArgumentException("key both put and deleted: " + key);
        }
      }
    }

    /** Returns the number of operations: puts plus deletes. */
    public int size() {
      return puts.size() + deletes.size();
    }
  }
}
