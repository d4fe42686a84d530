package org.clusterdns.kube2sky.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.clusterdns.kube2sky.sync.RecordSource.Desired;
import org.clusterdns.kube2sky.sync.RecordSource.PtrClaim;
import org.clusterdns.kube2sky.sync.RecordStore.Change;
import org.clusterdns.kube2sky.sync.RecordStore.Page;
import org.clusterdns.kube2sky.sync.RecordStore.Snapshot;
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes etcd match the {@link RecordSource}: one Service at a time, or everything with garbage
 * collection. Level-based: it compares what should be with what is and writes only the
 * difference, each Service's puts and deletes in one transaction, so an unchanged Service causes no
 * write and a name that exists before and after a change never disappears.
 *
 * <p>PTR leaves are shared: several Services may claim one address. The reconciler keeps every
 * claim in a {@link PtrRegistry} and, for each address a Service claims or claimed before, writes
 * the winning claim or deletes the leaf when nobody claims it any more.
 *
 * <p>A full reconcile works in bounded steps, so that its memory and each etcd request stay small
 * however many Services there are: it registers every Service's PTR claims, then reconciles the
 * Services in batches (one read of their directories and one commit per batch), then walks the
 * whole tree page by page and deletes the keys kube2sky manages that no Service owns.
 *
 * @implNote Not thread-safe: owned by the synchroniser's worker thread.
 */
final class ServiceReconciler {
  /** Services per batch of a full reconcile: one read of their keys, one commit. */
  static final int SERVICE_BATCH = 1_000;
  /**
   * Keys per page of the garbage collection's walk through the tree. Large, because etcd (3.4)
   * walks the whole rest of a range to count it for every page, whatever the limit.
   */
  static final int SCAN_PAGE = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(ServiceReconciler.class);

  /**
   * What one Service's reconcile wrote.
   *
   * @param puts keys written
   * @param deletes keys deleted
   */
  record Result(int puts, int deletes) {
    static final Result UNCHANGED = new Result(0, 0);

    static Result of(Change change) {
      return change.size() == 0 ? UNCHANGED : new Result(change.puts().size(), change.deletes().size());
    }
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
  private final int serviceBatch;
  private final int scanPage;
  private final PtrRegistry ptrs = new PtrRegistry();
  private Map<ServiceKey, Integer> leafCounts = new HashMap<>();
  /** The source version each Service was last reconciled at; absent after a failure or data loss. */
  private final Map<ServiceKey, String> reconciledVersions = new HashMap<>();
  private long leafTotal;
  private int clusterLeafCount;

  ServiceReconciler(RecordSource source, RecordStore store, RevisionTracker revisions) {
    this(source, store, revisions, SERVICE_BATCH, SCAN_PAGE);
  }

  /** Creates a reconciler with its own batch and page sizes, so that tests can cross their boundaries. */
  ServiceReconciler(RecordSource source, RecordStore store, RevisionTracker revisions, int serviceBatch,
      int scanPage) {
    this.source = source;
    this.store = store;
    this.revisions = revisions;
    if (serviceBatch < 1 || scanPage < 1) {
      throw new IllegalArgumentException("batch and page sizes must be positive");
    }
    this.serviceBatch = serviceBatch;
    this.scanPage = scanPage;
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
    List<PtrClaim> previousClaims = ptrs.claimsOf(key);
    try {
      Plan plan = plan(key, List.of());
      long mark = revisions.mark();
      Snapshot actual = store.read(plan.ranges());
      revisions.observe(mark, actual.revision());
      Change change = plan.diff(new TreeMap<>(actual.values()), new HashSet<>());
      if (change.size() > 0) {
        mark = revisions.mark();
        revisions.observe(mark, store.commit(List.of(change)));
        LOG.info("Service {}: wrote {} and deleted {} records", key, change.puts().size(), change.deletes().size());
      }
      countLeaves(key, plan.leafCount());
      if (version != null) {
        reconciledVersions.put(key, version);
      }
      return Result.of(change);
    } catch (RuntimeException e) {
      ptrs.replace(key, previousClaims);
      throw e;
    }
  }

  /**
   * Makes everything under the source's root match: every Service in the source and in
   * {@code alsoReconcile} (Services that may have been deleted), the cluster leaves, and no
   * managed key that nobody wants.
   *
   * <p>First every Service's PTR claims are registered, so that each PTR leaf is written once,
   * with the winner among all claims, and never changes hands back and forth while the batches are
   * written. Then the Services are reconciled in batches of {@value #SERVICE_BATCH} as
   * {@link #reconcile} does one, each Service's change in one transaction where it fits. Last, the
   * tree's keys are read in pages of {@value #SCAN_PAGE}, and a key is deleted when nobody wants it
   * and kube2sky manages it (as its value shows): it is no cluster leaf, no PTR claim wants it, and
   * it lies under no directory of a Service just reconciled. Those directories were made exact by
   * their Service's batch, from the same desired records as its puts, so a Service that changes
   * meanwhile never loses a name before its new records are written.
   *
   * @throws RecordStoreException when etcd fails; the batches before stay written, the PTR claims
   *     are updated all the same, and the retry, which must be a full reconcile too, repairs
   *     whatever they no longer point to
   */
  FullResult reconcileAll(Set<ServiceKey> alsoReconcile) {
    TreeSet<ServiceKey> keys = new TreeSet<>(source.services());
    keys.addAll(alsoReconcile);
    reconciledVersions.clear();

    Map<ServiceKey, List<PtrClaim>> earlierClaims = new HashMap<>();
    for (ServiceKey key : keys) {
      List<PtrClaim> before = ptrs.claimsOf(key);
      List<PtrClaim> now = source.desired(key).ptrClaims();
      if (!before.equals(now)) {
        earlierClaims.put(key, before);
        ptrs.replace(key, now);
      }
    }
    for (ServiceKey owner : ptrs.owners()) {
      if (!keys.contains(owner)) {
        ptrs.replace(owner, List.of());
      }
    }

    // The cluster leaves first: the synchroniser's probe takes their absence for a data loss.
    Map<String, String> clusterLeaves = source.clusterLeaves();
    int clusterPuts = writeClusterLeaves(clusterLeaves);
    Tally tally = new Tally();
    List<ServiceKey> batch = new ArrayList<>(Math.min(serviceBatch, keys.size()));
    for (ServiceKey key : keys) {
      batch.add(key);
      if (batch.size() == serviceBatch) {
        reconcileBatch(batch, earlierClaims, tally);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      reconcileBatch(batch, earlierClaims, tally);
    }
    int stale = deleteStale(keys, clusterLeaves.keySet());

    leafCounts = tally.leafCounts;
    leafTotal = leafCounts.values().stream().mapToLong(Integer::longValue).sum();
    clusterLeafCount = clusterLeaves.size();
    if (stale > 0) {
      LOG.info("Removed {} records no Service owns", stale);
    }
    return new FullResult(tally.results, tally.puts + clusterPuts, tally.deletes + stale);
  }

  /** Returns how many leaves kube2sky keeps in etcd: Services' leaves, PTR leaves and cluster leaves. */
  long recordsOwned() {
    return leafTotal + ptrs.size() + clusterLeafCount;
  }

  /**
   * Reconciles a batch of Services with one read and one commit. {@code earlierClaims} holds the
   * claims that the full reconcile's first step replaced, whose PTR leaves are the Service's to
   * fix as well.
   */
  private void reconcileBatch(List<ServiceKey> batch, Map<ServiceKey, List<PtrClaim>> earlierClaims, Tally tally) {
    List<String> versions = new ArrayList<>(batch.size());
    List<Plan> plans = new ArrayList<>(batch.size());
    List<String> ranges = new ArrayList<>();
    for (ServiceKey key : batch) {
      versions.add(source.version(key));
      Plan plan = plan(key, earlierClaims.getOrDefault(key, List.of()));
      plans.add(plan);
      ranges.addAll(plan.ranges());
    }
    long mark = revisions.mark();
    Snapshot snapshot = store.read(ranges);
    revisions.observe(mark, snapshot.revision());
    TreeMap<String, String> actual = new TreeMap<>(snapshot.values());
    Set<String> handled = new HashSet<>();
    List<Change> changes = new ArrayList<>();
    List<Result> results = new ArrayList<>(batch.size());
    for (Plan plan : plans) {
      Change change = plan.diff(actual, handled);
      if (change.size() > 0) {
        changes.add(change);
      }
      results.add(Result.of(change));
    }
    if (!changes.isEmpty()) {
      mark = revisions.mark();
      revisions.observe(mark, store.commit(changes));
    }
    for (int i = 0; i < batch.size(); i++) {
      tally.add(batch.get(i), plans.get(i).leafCount(), results.get(i));
      if (versions.get(i) != null) {
        reconciledVersions.put(batch.get(i), versions.get(i));
      }
    }
  }

  /** Writes the cluster leaves that are missing or differ; returns how many. */
  private int writeClusterLeaves(Map<String, String> clusterLeaves) {
    long mark = revisions.mark();
    Snapshot actual = store.read(clusterLeaves.keySet());
    revisions.observe(mark, actual.revision());
    Map<String, String> puts = new TreeMap<>();
    clusterLeaves.forEach((key, value) -> {
      if (!value.equals(actual.values().get(key))) {
        puts.put(key, value);
      }
    });
    if (!puts.isEmpty()) {
      mark = revisions.mark();
      revisions.observe(mark, store.commit(List.of(new Change(puts, Set.of()))));
    }
    return puts.size();
  }

  /**
   * Walks the tree page by page and deletes the managed keys that no one wants, as
   * {@link #reconcileAll} describes; returns how many.
   */
  private int deleteStale(Set<ServiceKey> reconciled, Set<String> clusterKeys) {
    String root = source.root() + "/";
    String from = root;
    int deleted = 0;
    Page page;
    do {
      long mark = revisions.mark();
      page = store.scan(root, from, scanPage);
      revisions.observe(mark, page.revision());
      List<String> candidates = new ArrayList<>();
      for (String key : page.keys()) {
        if (mayBeStale(key, reconciled, clusterKeys)) {
          candidates.add(key);
        }
      }
      if (!candidates.isEmpty()) {
        // Only these need their values, to tell kube2sky's keys from others'.
        mark = revisions.mark();
        Snapshot values = store.read(candidates);
        revisions.observe(mark, values.revision());
        Set<String> stale = new TreeSet<>();
        values.values().forEach((key, value) -> {
          if (source.isManaged(key, value)) {
            stale.add(key);
          }
        });
        if (!stale.isEmpty()) {
          mark = revisions.mark();
          revisions.observe(mark, store.commit(List.of(new Change(Map.of(), stale))));
          deleted += stale.size();
        }
      }
      if (!page.keys().isEmpty()) {
        from = page.keys().last() + "\0";
      }
    } while (page.more());
    return deleted;
  }

  /** Returns whether nobody wants {@code key}: then it is stale if kube2sky manages it. */
  private boolean mayBeStale(String key, Set<ServiceKey> reconciled, Set<String> clusterKeys) {
    if (clusterKeys.contains(key) || ptrs.winner(key).isPresent()) {
      return false;
    }
    Optional<ServiceKey> owner = source.owner(key);
    return owner.isEmpty() || !reconciled.contains(owner.get());
  }

  /**
   * Computes one Service's desired leaves and registers its PTR claims: the plan of what to read
   * and what to write.
   *
   * @param earlierClaims claims the Service held before, beyond those the registry still has
   */
  private Plan plan(ServiceKey key, List<PtrClaim> earlierClaims) {
    Desired desired = source.desired(key);
    Set<String> ptrKeys = new TreeSet<>(ptrs.replace(key, desired.ptrClaims()));
    earlierClaims.forEach(claim -> ptrKeys.add(claim.key()));
    Map<String, String> wanted = new HashMap<>(desired.leaves());
    for (String ptrKey : ptrKeys) {
      ptrs.winner(ptrKey).ifPresent(winner -> wanted.put(ptrKey, winner.getValue().value()));
    }
    return new Plan(wanted, source.ownedDirectories(key), ptrKeys, desired.leaves().size());
  }

  /**
   * What one Service should look like in etcd.
   *
   * @param wanted its leaves and the winning values of the PTR leaves it claims or claimed
   * @param directories the directories it owns: everything found there that it does not want goes
   * @param ptrKeys the PTR leaves it claims or claimed: deleted when nobody claims them any more
   * @param leafCount how many leaves it owns (PTR leaves not included)
   */
  private record Plan(Map<String, String> wanted, List<String> directories, Set<String> ptrKeys, int leafCount) {
    /** Returns what to read: each directory as its exact key and its subtree, and the PTR leaves. */
    List<String> ranges() {
      List<String> ranges = new ArrayList<>();
      for (String directory : directories) {
        ranges.add(directory);
        ranges.add(directory + "/");
      }
      ranges.addAll(ptrKeys);
      return ranges;
    }

    /**
     * Returns the change from {@code actual} (holding at least everything in {@link #ranges()})
     * to this plan, leaving out keys that an earlier change of the same commit already handles.
     */
    Change diff(SortedMap<String, String> actual, Set<String> handled) {
      Map<String, String> puts = new TreeMap<>();
      wanted.forEach((key, value) -> {
        if (!value.equals(actual.get(key)) && handled.add(key)) {
          puts.put(key, value);
        }
      });
      Set<String> present = new TreeSet<>();
      for (String directory : directories) {
        if (actual.containsKey(directory)) {
          present.add(directory);
        }
        present.addAll(actual.subMap(directory + "/", directory + "/" + Character.MAX_VALUE).keySet());
      }
      for (String ptrKey : ptrKeys) {
        if (actual.containsKey(ptrKey)) {
          present.add(ptrKey);
        }
      }
      Set<String> deletes = new TreeSet<>();
      for (String key : present) {
        if (!wanted.containsKey(key) && handled.add(key)) {
          deletes.add(key);
        }
      }
      return new Change(puts, deletes);
    }
  }

  /** What a full reconcile's batches wrote, and the leaves each Service owns. */
  private static final class Tally {
    final Map<ServiceKey, Result> results = new LinkedHashMap<>();
    final Map<ServiceKey, Integer> leafCounts = new HashMap<>();
    int puts;
    int deletes;

    void add(ServiceKey key, int leafCount, Result result) {
      results.put(key, result);
      if (leafCount > 0) {
        leafCounts.put(key, leafCount);
      }
      puts += result.puts();
      deletes += result.deletes();
    }
  }

  private void countLeaves(ServiceKey key, int count) {
    Integer previous = count == 0 ? leafCounts.remove(key) : leafCounts.put(key, count);
    leafTotal += count - (previous == null ? 0 : previous);
  }
}
