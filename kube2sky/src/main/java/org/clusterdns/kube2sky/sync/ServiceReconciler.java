package org.clusterdns.kube2sky.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.clusterdns.kube2sky.sync.RecordSource.Desired;
import org.clusterdns.kube2sky.sync.RecordSource.PtrClaim;
import org.clusterdns.kube2sky.sync.RecordStore.Change;
import org.clusterdns.kube2sky.sync.RecordStore.Snapshot;
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes etcd match the {@link RecordSource}: one Service at a time, or everything at once with
 * garbage collection. Level-based: it compares what should be with what is and writes only the
 * difference, puts and deletes in one transaction, so an unchanged Service causes no write and a
 * name that exists before and after a change never disappears.
 *
 * <p>PTR leaves are shared: several Services may claim one address. The reconciler keeps every
 * claim in a {@link PtrRegistry} and, for each address a Service claims or claimed before, writes
 * the winning claim or deletes the leaf when nobody claims it any more.
 *
 * @implNote Not thread-safe: owned by the synchroniser's worker thread.
 */
final class ServiceReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceReconciler.class);

  /**
   * What one Service's reconcile wrote.
   *
   * @param puts keys written
   * @param deletes keys deleted
   */
  record Result(int puts, int deletes) {
    static final Result UNCHANGED = new Result(0, 0);
  }

  /**
   * What a full reconcile wrote.
   *
   * @param services each reconciled Service with what was written for it
   * @param puts every key written, the cluster leaves included
   * @param deletes every key deleted, the stale keys no Service owns included
   */
  record FullResult(Map<ServiceKey, Result> services, int puts, int deletes) {}

  private final RecordSource source;
  private final RecordStore store;
  private final RevisionTracker revisions;
  private final PtrRegistry ptrs = new PtrRegistry();
  private final Map<ServiceKey, Integer> leafCounts = new HashMap<>();
  /** The source version each Service was last reconciled at; absent after a failure or data loss. */
  private final Map<ServiceKey, String> reconciledVersions = new HashMap<>();
  private long leafTotal;
  private int clusterLeafCount;

  ServiceReconciler(RecordSource source, RecordStore store, RevisionTracker revisions) {
    this.source = source;
    this.store = store;
    this.revisions = revisions;
  }

  /**
   * Makes etcd hold exactly the Service's desired leaves under its directories, and the winning
   * claims on the PTR leaves it claims or claimed before.
   *
   * @throws RecordStoreException when etcd fails; nothing is remembered, so a retry starts over
   */
  Result reconcile(ServiceKey key) {
    // Read the version before the records, so that a change in between makes the version stale.
    String version = source.version(key);
    if (version != null && version.equals(reconciledVersions.get(key))) {
      return Result.UNCHANGED;
    }
    reconciledVersions.remove(key);
    Desired desired = source.desired(key);
    List<PtrClaim> previousClaims = ptrs.claimsOf(key);
    Set<String> ptrKeys = ptrs.replace(key, desired.ptrClaims());
    try {
      Map<String, String> wanted = new HashMap<>(desired.leaves());
      for (String ptrKey : ptrKeys) {
        ptrs.winner(ptrKey).ifPresent(winner -> wanted.put(ptrKey, winner.getValue().value()));
      }
      List<String> ranges = new ArrayList<>(ranges(source.ownedDirectories(key)));
      ranges.addAll(ptrKeys);
      long mark = revisions.mark();
      Snapshot actual = store.read(ranges);
      revisions.observe(mark, actual.revision());

      Map<String, String> puts = new TreeMap<>();
      wanted.forEach((leaf, value) -> {
        if (!value.equals(actual.values().get(leaf))) {
          puts.put(leaf, value);
        }
      });
      Set<String> deletes = new TreeSet<>(actual.values().keySet());
      deletes.removeAll(wanted.keySet());
      Result result = new Result(puts.size(), deletes.size());
      if (!puts.isEmpty() || !deletes.isEmpty()) {
        mark = revisions.mark();
        revisions.observe(mark, store.commit(List.of(new Change(puts, deletes))));
        LOG.info("Service {}: wrote {} and deleted {} records", key, puts.size(), deletes.size());
      }
      countLeaves(key, desired.leaves().size());
      if (version != null) {
        reconciledVersions.put(key, version);
      }
      return result;
    } catch (RuntimeException e) {
      ptrs.replace(key, previousClaims);
      throw e;
    }
  }

  /**
   * Makes everything under the source's root match: every Service in the source and in
   * {@code alsoReconcile} (Services that may have been deleted), the cluster leaves, and no
   * managed key that nobody wants. Reads the whole tree once and writes the difference in as few
   * transactions as the store allows, each Service's change in one where it fits.
   *
   * @throws RecordStoreException when etcd fails; the PTR claims are updated all the same, and
   *     the retry, which must be a full reconcile too, repairs whatever they no longer point to
   */
  FullResult reconcileAll(Set<ServiceKey> alsoReconcile) {
    Set<ServiceKey> keys = new TreeSet<>(source.services());
    keys.addAll(alsoReconcile);
    long mark = revisions.mark();
    Snapshot snapshot = store.read(List.of(source.root() + "/"));
    revisions.observe(mark, snapshot.revision());
    TreeMap<String, String> actual = new TreeMap<>(snapshot.values());

    reconciledVersions.clear();
    Map<ServiceKey, Desired> desired = new LinkedHashMap<>();
    Map<ServiceKey, String> versions = new HashMap<>();
    Map<ServiceKey, List<PtrClaim>> previousClaims = new HashMap<>();
    for (ServiceKey key : keys) {
      String version = source.version(key);
      if (version != null) {
        versions.put(key, version);
      }
      Desired wanted = source.desired(key);
      desired.put(key, wanted);
      previousClaims.put(key, ptrs.claimsOf(key));
      ptrs.replace(key, wanted.ptrClaims());
    }
    for (ServiceKey owner : ptrs.owners()) {
      if (!desired.containsKey(owner)) {
        ptrs.replace(owner, List.of());
      }
    }
    Map<String, String> clusterLeaves = source.clusterLeaves();
    Set<String> wantedKeys = new HashSet<>(ptrs.winners().keySet());
    desired.values().forEach(wanted -> wantedKeys.addAll(wanted.leaves().keySet()));
    wantedKeys.addAll(clusterLeaves.keySet());

    List<Change> changes = new ArrayList<>();
    Map<ServiceKey, Result> results = new LinkedHashMap<>();
    Set<String> handled = new HashSet<>();
    int puts = 0;
    int deletes = 0;
    for (Map.Entry<ServiceKey, Desired> entry : desired.entrySet()) {
      ServiceKey key = entry.getKey();
      Map<String, String> wanted = new HashMap<>(entry.getValue().leaves());
      for (PtrClaim claim : entry.getValue().ptrClaims()) {
        ptrs.winner(claim.key())
            .filter(winner -> winner.getKey().equals(key))
            .ifPresent(winner -> wanted.put(claim.key(), winner.getValue().value()));
      }
      Set<String> present = new HashSet<>();
      for (String directory : source.ownedDirectories(key)) {
        if (actual.containsKey(directory)) {
          present.add(directory);
        }
        present.addAll(under(actual, directory + "/").keySet());
      }
      // So that a PTR leaf a deleted Service held counts as that Service's delete.
      for (PtrClaim claim : previousClaims.get(key)) {
        if (actual.containsKey(claim.key())) {
          present.add(claim.key());
        }
      }
      Change change = diff(wanted, present, wantedKeys, actual, handled);
      if (change.size() > 0) {
        changes.add(change);
      }
      results.put(key, new Result(change.puts().size(), change.deletes().size()));
      puts += change.puts().size();
      deletes += change.deletes().size();
    }
    Set<String> stale = new HashSet<>();
    actual.forEach((key, value) -> {
      if (source.isManaged(key, value)) {
        stale.add(key);
      }
    });
    Change cluster = diff(clusterLeaves, stale, wantedKeys, actual, handled);
    if (cluster.size() > 0) {
      changes.add(cluster);
    }
    puts += cluster.puts().size();
    deletes += cluster.deletes().size();

    if (!changes.isEmpty()) {
      mark = revisions.mark();
      revisions.observe(mark, store.commit(changes));
    }
    leafCounts.clear();
    desired.forEach((key, wanted) -> {
      if (!wanted.leaves().isEmpty()) {
        leafCounts.put(key, wanted.leaves().size());
      }
    });
    leafTotal = leafCounts.values().stream().mapToLong(Integer::longValue).sum();
    clusterLeafCount = clusterLeaves.size();
    reconciledVersions.putAll(versions);
    if (cluster.deletes().size() > 0) {
      LOG.info("Removed {} records no Service owns", cluster.deletes().size());
    }
    return new FullResult(results, puts, deletes);
  }

  /** Returns how many leaves kube2sky keeps in etcd: Services' leaves, PTR leaves and cluster leaves. */
  long recordsOwned() {
    return leafTotal + ptrs.size() + clusterLeafCount;
  }

  /**
   * Returns the change that writes {@code wanted} and deletes the {@code present} keys nobody
   * wants, leaving out keys an earlier change of the same full reconcile already handles.
   */
  private static Change diff(Map<String, String> wanted, Set<String> present, Set<String> wantedKeys,
      Map<String, String> actual, Set<String> handled) {
    Map<String, String> puts = new TreeMap<>();
    wanted.forEach((key, value) -> {
      if (!value.equals(actual.get(key)) && handled.add(key)) {
        puts.put(key, value);
      }
    });
    Set<String> deletes = new TreeSet<>();
    for (String key : present) {
      if (!wantedKeys.contains(key) && handled.add(key)) {
        deletes.add(key);
      }
    }
    return new Change(puts, deletes);
  }

  private void countLeaves(ServiceKey key, int count) {
    Integer previous = count == 0 ? leafCounts.remove(key) : leafCounts.put(key, count);
    leafTotal += count - (previous == null ? 0 : previous);
  }

  private static List<String> ranges(List<String> directories) {
    List<String> ranges = new ArrayList<>();
    for (String directory : directories) {
      ranges.add(directory);
      ranges.add(directory + "/");
    }
    return ranges;
  }

  private static Map<String, String> under(TreeMap<String, String> values, String prefix) {
    return values.subMap(prefix, prefix + Character.MAX_VALUE);
  }
}
