package org.clusterdns.skydns.backend;

import org.clusterdns.etcd.EtcdClients;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.clusterdns.records.EtcdPath;
import org.clusterdns.records.MalformedRecordException;
import org.clusterdns.records.ServiceRecord;
import org.clusterdns.etcd.EtcdConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Backend} fed from etcd: the whole {@code /<prefix>} tree held in an
 * {@link InMemoryIndex}, loaded with one range read and kept current by a watch that starts at
 * the revision after the read.
 *
 * <p>It reloads the whole tree when the watch is compacted away or ends, when one of its own
 * background tasks fails (logged), and when etcd answers with a revision lower than one already
 * seen: that is an etcd restarted with an empty data directory, whose old watch would otherwise
 * resume silently at the old revision and miss every change. While etcd is unreachable the index keeps the last data it had, the state is logged
 * once and shown in {@link #status()}, and loads are retried with a backoff of 100 ms doubling to
 * 5 s. A value that is not a valid SkyDNS record is skipped, logged once per key and revision,
 * and counted. The remaining time of a key's lease is looked up in the background and kept fresh
 * while the key exists; until it is known, the key is answered with a short TTL
 * ({@link ServiceEntry#UNKNOWN_LEASE}).
 *
 * @implNote Thread-safe. Queries read the index and never wait on etcd. All etcd results are
 *     handled on one daemon thread ({@code etcd-backend}); every etcd call has the configured
 *     request timeout.
 */
public final class EtcdBackend implements Backend, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdBackend.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(100);
  private static final Duration LAST_RETRY = Duration.ofSeconds(5);
  /**
   * How often a cheap read checks that etcd answers and that its revision has not gone back. The
   * watch alone does not tell: after etcd restarts empty it stays silent.
   */
  private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
  private static final Duration SHORTEST_LEASE_REFRESH = Duration.ofSeconds(1);

  private final Client client;
  private final EtcdPath path;
  private final ByteSequence prefix;
  private final String configKey;
  private final long timeoutMillis;
  private final LongSupplier clockMillis;
  private final InMemoryIndex index;
  private final ScheduledExecutorService executor;
  private final CountDownLatch synced = new CountDownLatch(1);

  // Read by status() from any thread; written on the executor thread.
  private volatile long revision;
  private volatile long malformedValues;
  private volatile boolean connected;
  private volatile long lastEventMillis;
  private volatile long reloads;
  private volatile boolean closed;
  private volatile Watch.Watcher watcher;

  // Confined to the executor thread.
  /** Identifies the current load and its watch; results of older ones are ignored. */
  private long epoch;
  private boolean loadScheduled;
  private boolean probeRunning;
  /**
   * The highest revision that reads (loads and probes) have seen. Reads are linearizable, so any
   * member answers at least the revision of an earlier read unless etcd lost its data.
   */
  private long readRevision;
  /**
   * The highest revision the current watch has reported, 0 until its first message. It is
   * compared only with later watch messages, never with reads: with several endpoints the watch
   * may run on a member that lags behind the one that answered the load, so its created
   * notification may carry a revision below the load's without anything being wrong.
   */
  private long watchRevision;
  private boolean stateLogged;
  private Duration retryDelay = FIRST_RETRY;
  private final Map<String, Long> malformedReported = new HashMap<>();
  private final Map<String, Long> leaseOfKey = new HashMap<>();
  private final Map<Long, Lease> leases = new HashMap<>();

  /** What is known about one lease that keys in the index are attached to. */
  private static final class Lease {
    final Set<String> keys = new HashSet<>();
    long expiresAtMillis = ServiceEntry.UNKNOWN_LEASE;
    boolean lookupRunning;
    ScheduledFuture<?> refresh;
  }

  /**
   * Creates the backend; nothing happens until {@link #start()}.
   *
   * @param client the etcd client; the caller owns it and closes it after this backend
   * @param config the path prefix and the request timeout
   * @param clockMillis the wall clock, for lease expiry times and {@link BackendStatus#lastEventMillis()}
   */
  public EtcdBackend(Client client, EtcdConfig config, LongSupplier clockMillis) {
    this.client = client;
    this.path = new EtcdPath(config.pathPrefix());
    this.prefix = EtcdClients.bytes(path.root() + "/");
    this.configKey = path.configKey();
    this.timeoutMillis = config.requestTimeout().toMillis();
    this.clockMillis = clockMillis;
    this.index = new InMemoryIndex(path);
    this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "etcd-backend");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts loading the tree in the background and returns at once; call it once. */
  public void start() {
    run(() -> {
      scheduleLoad(null, true);
      executor.scheduleWithFixedDelay(guarded(this::probe), PROBE_INTERVAL.toMillis(), PROBE_INTERVAL.toMillis(),
          TimeUnit.MILLISECONDS);
    });
  }

  /**
   * Waits until the first full load is complete.
   *
   * @return whether it completed within {@code timeout}
   */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    return synced.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Returns the current state, for metrics. */
  public BackendStatus status() {
    return new BackendStatus(revision, index.size(), malformedValues, connected, lastEventMillis, reloads);
  }

  @Override
  public Lookup records(String name, boolean exact) {
    return index.records(name, exact);
  }

  @Override
  public Optional<ServiceEntry> reverseRecord(String name) {
    return index.reverseRecord(name);
  }

  @Override
  public boolean isSynced() {
    return index.isSynced();
  }

  @Override
  public long generation() {
    return index.generation();
  }

  /** Cancels the watch and stops the background thread; the client stays open. */
  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
    try {
      executor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Watch.Watcher current = watcher;
    if (current != null) {
      current.close();
    }
  }

  // ---- loading ----

  /**
   * Starts over with a full load after the current retry delay, which doubles with every load
   * until the watch delivers again, so a load or watch that keeps failing is retried ever slower.
   *
   * @param reason why, for the log; null for the first load and for retries, which are not logged
   * @param immediately whether to load now rather than after the retry delay
   */
  private void scheduleLoad(String reason, boolean immediately) {
    if (loadScheduled || closed) {
      return;
    }
    loadScheduled = true;
    // Results of the current watch and of requests in flight no longer count.
    epoch++;
    closeWatcher();
    long delay = 0;
    if (!immediately) {
      delay = retryDelay.toMillis();
      retryDelay = retryDelay.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retryDelay.multipliedBy(2);
    }
    if (reason != null) {
      LOG.info("Loading the etcd tree under {} again in {} ms: {}", path.root(), delay, reason);
    }
    long loadEpoch = epoch;
    executor.schedule(guarded(() -> load(loadEpoch)), delay, TimeUnit.MILLISECONDS);
  }

  private void load(long loadEpoch) {
    if (loadEpoch != epoch) {
      return; // a later load replaced this one
    }
    GetOption wholeTree = GetOption.builder().isPrefix(true).build();
    withTimeout(client.getKVClient().get(prefix, wholeTree))
        .whenComplete((response, error) -> run(() -> loaded(loadEpoch, response, error)));
  }

  private void loaded(long loadEpoch, GetResponse response, Throwable error) {
    if (loadEpoch != epoch) {
      return;
    }
    loadScheduled = false;
    if (error != null) {
      markConnected(false, error);
      // Not logged: markConnected logged the outage once, and retries go on while it lasts.
      scheduleLoad(null, false);
      return;
    }
    markConnected(true, null);
    leases.values().forEach(lease -> cancel(lease.refresh));
    leases.clear();
    leaseOfKey.clear();
    Map<String, ServiceEntry> content = new HashMap<>();
    Set<String> present = new HashSet<>();
    for (KeyValue kv : response.getKvs()) {
      String key = kv.getKey().toString(StandardCharsets.UTF_8);
      present.add(key);
      decode(key, kv).ifPresent(record -> content.put(key, new ServiceEntry(key, record, track(key, kv.getLease()))));
    }
    malformedReported.keySet().retainAll(present);
    long loadRevision = response.getHeader().getRevision();
    // A reload sets the baseline: after etcd restarted empty the revision is lower than before.
    revision = loadRevision;
    readRevision = loadRevision;
    watchRevision = 0;
    index.replaceAll(content);
    lastEventMillis = clockMillis.getAsLong();
    if (synced.getCount() == 0) {
      reloads++;
    }
    LOG.info("Loaded {} services from etcd under {} at revision {}", content.size(), path.root(), loadRevision);
    synced.countDown();
    watch(loadRevision + 1);
    leases.keySet().forEach(this::lookUpLease);
  }

  private void watch(long fromRevision) {
    long watchEpoch = epoch;
    WatchOption option = WatchOption.builder()
        .isPrefix(true)
        .withRevision(fromRevision)
        // The created notification after a reconnect carries the new revision, the first sign
        // of an etcd that came back empty.
        .withCreateNotify(true)
        .build();
    watcher = client.getWatchClient().watch(prefix, option, Watch.listener(
        response -> run(() -> watchResponse(watchEpoch, response)),
        error -> run(() -> watchError(watchEpoch, error)),
        () -> run(() -> watchCompleted(watchEpoch))));
  }

  private void closeWatcher() {
    Watch.Watcher current = watcher;
    watcher = null;
    if (current != null) {
      current.close();
    }
  }

  // ---- watch ----

  private void watchResponse(long watchEpoch, WatchResponse response) {
    if (watchEpoch != epoch) {
      return;
    }
    markConnected(true, null);
    retryDelay = FIRST_RETRY;
    long seen = response.getHeader().getRevision();
    // After a reconnect to an etcd that came back empty, the created notification is still below
    // the last message seen; a quiet watch with nothing to compare is left to the probe.
    if (seen < watchRevision) {
      wentBack(watchRevision, seen);
      return;
    }
    watchRevision = seen;
    revision = Math.max(revision, seen);
    // One message is applied as one batch: kube2sky replaces a leaf with DELETE old + PUT new in
    // one transaction, and applied one by one the name would be missing in between. The last
    // event of a key wins, as when applying them in order, so a key is never in both.
    Map<String, ServiceEntry> puts = new HashMap<>();
    Set<String> deletes = new HashSet<>();
    for (WatchEvent event : response.getEvents()) {
      KeyValue kv = event.getKeyValue();
      String key = kv.getKey().toString(StandardCharsets.UTF_8);
      switch (event.getEventType()) {
        case PUT -> stage(key, put(key, kv), puts, deletes);
        case DELETE -> stage(key, delete(key), puts, deletes);
        default -> LOG.debug("Ignoring a watch event of unknown type for {}", key);
      }
    }
    index.apply(puts, deletes);
    if (!response.getEvents().isEmpty()) {
      lastEventMillis = clockMillis.getAsLong();
    }
  }

  /** Records the state of {@code key} after an event, replacing what earlier events staged. */
  private static void stage(String key, Optional<ServiceEntry> entry, Map<String, ServiceEntry> puts,
      Set<String> deletes) {
    if (entry.isPresent()) {
      puts.put(key, entry.get());
      deletes.remove(key);
    } else {
      puts.remove(key);
      deletes.add(key);
    }
  }

  private void watchError(long watchEpoch, Throwable error) {
    if (watchEpoch != epoch) {
      return;
    }
    if (error instanceof CompactedException compacted) {
      scheduleLoad("the watch fell behind compaction at revision " + compacted.getCompactedRevision(), false);
    } else {
      // jetcd would re-create the watch by itself, resuming at the last revision it saw; after an
      // etcd that restarted empty and was written past that revision before our probe looked,
      // that silently skips events. Only a fresh read is to be trusted.
      markConnected(false, error);
      scheduleLoad("the etcd watch was interrupted", false);
    }
  }

  private void watchCompleted(long watchEpoch) {
    if (watchEpoch == epoch) {
      scheduleLoad("the etcd watch ended", false);
    }
  }

  /**
   * Tracks a PUT event's key and lease and returns the entry to store, or empty when the value is
   * not a record and the key must go.
   */
  private Optional<ServiceEntry> put(String key, KeyValue kv) {
    Optional<ServiceRecord> record = decode(key, kv);
    untrack(key);
    if (record.isEmpty()) {
      // Not delete(key): decode remembered the malformed value, so a reload does not report it again.
      return Optional.empty();
    }
    long expiresAtMillis = track(key, kv.getLease());
    if (expiresAtMillis == ServiceEntry.UNKNOWN_LEASE) {
      lookUpLease(kv.getLease());
    }
    return Optional.of(new ServiceEntry(key, record.get(), expiresAtMillis));
  }

  /** Forgets a deleted key's lease and returns empty: the key must go. */
  private Optional<ServiceEntry> delete(String key) {
    malformedReported.remove(key);
    untrack(key);
    return Optional.empty();
  }

  /** Returns the record in a value, or empty for the config key and for malformed values. */
  private Optional<ServiceRecord> decode(String key, KeyValue kv) {
    if (key.equals(configKey)) {
      return Optional.empty();
    }
    try {
      ServiceRecord record = ServiceRecord.fromJson(kv.getValue().getBytes());
      malformedReported.remove(key);
      return Optional.of(record);
    } catch (MalformedRecordException | RuntimeException e) {
      Long reported = malformedReported.put(key, kv.getModRevision());
      if (reported == null || reported != kv.getModRevision()) {
        malformedValues++;
        LOG.warn("Skipping the malformed value of {} at revision {}: {}", key, kv.getModRevision(), e.getMessage());
      }
      return Optional.empty();
    }
  }

  // ---- probe ----

  /**
   * Reads the tree's root key: whether etcd answers, and whether its revision went back. One exact
   * key, not a prefix range with a limit: etcd 3.4 walks the whole range to answer the latter
   * (65-115 ms at 330,000 keys, measured), and writes wait behind it.
   */
  private void probe() {
    if (loadScheduled || probeRunning) {
      return;
    }
    long probeEpoch = epoch;
    GetOption exactKey = GetOption.builder().withKeysOnly(true).build();
    CompletableFuture<GetResponse> probed = withTimeout(client.getKVClient().get(prefix, exactKey));
    // Set only once the request is out: a call that throws must not stop every later probe.
    probeRunning = true;
    probed.whenComplete((response, error) -> run(() -> {
      probeRunning = false;
      if (probeEpoch != epoch) {
        return;
      }
      if (error != null) {
        markConnected(false, error);
        return;
      }
      markConnected(true, null);
      long seen = response.getHeader().getRevision();
      if (seen < readRevision) {
        wentBack(readRevision, seen);
      } else {
        readRevision = seen;
      }
    }));
  }

  private void wentBack(long highest, long seen) {
    scheduleLoad("etcd revision went back from " + highest + " to " + seen + "; etcd lost its data", false);
  }

  // ---- leases ----

  /**
   * Records that {@code key} uses {@code leaseId} and returns the lease's expiry:
   * {@link ServiceEntry#NO_LEASE} without a lease, {@link ServiceEntry#UNKNOWN_LEASE} until looked up.
   */
  private long track(String key, long leaseId) {
    if (leaseId == 0) {
      return ServiceEntry.NO_LEASE;
    }
    leaseOfKey.put(key, leaseId);
    Lease lease = leases.computeIfAbsent(leaseId, id -> new Lease());
    lease.keys.add(key);
    return lease.expiresAtMillis;
  }

  private void untrack(String key) {
    Long leaseId = leaseOfKey.remove(key);
    if (leaseId == null) {
      return;
    }
    Lease lease = leases.get(leaseId);
    lease.keys.remove(key);
    if (lease.keys.isEmpty()) {
      cancel(lease.refresh);
      leases.remove(leaseId);
    }
  }

  private void lookUpLease(long leaseId) {
    Lease lease = leases.get(leaseId);
    if (lease == null || lease.lookupRunning) {
      return;
    }
    cancel(lease.refresh);
    long lookupEpoch = epoch;
    CompletableFuture<LeaseTimeToLiveResponse> lookup =
        withTimeout(client.getLeaseClient().timeToLive(leaseId, LeaseOption.DEFAULT));
    lease.lookupRunning = true;
    lookup.whenComplete((response, error) -> run(() -> leaseLookedUp(lookupEpoch, leaseId, response, error)));
  }

  private void leaseLookedUp(long lookupEpoch, long leaseId, LeaseTimeToLiveResponse response, Throwable error) {
    Lease lease = leases.get(leaseId);
    if (lookupEpoch != epoch || lease == null) {
      return; // a reload started over, or no key uses the lease any more
    }
    lease.lookupRunning = false;
    if (error != null) {
      // Not an outage signal of its own: the probe and the watch report those.
      LOG.debug("Looking up etcd lease {} failed: {}", leaseId, EtcdClients.describe(error));
      lease.refresh = executor.schedule(guarded(() -> lookUpLease(leaseId)), LAST_RETRY.toMillis(),
          TimeUnit.MILLISECONDS);
      return;
    }
    // TTL is -1 for a lease that is gone; etcd deletes its keys and the watch removes them.
    long remainingMillis = Math.max(0, response.getTTL()) * 1000;
    lease.expiresAtMillis = clockMillis.getAsLong() + remainingMillis;
    for (String key : lease.keys) {
      index.get(key).ifPresent(entry -> index.put(new ServiceEntry(key, entry.record(), lease.expiresAtMillis)));
    }
    if (remainingMillis > 0) {
      // A kept-alive lease is extended without a watch event; look again before answers reach 0.
      long next = Math.max(SHORTEST_LEASE_REFRESH.toMillis(), remainingMillis / 2);
      lease.refresh = executor.schedule(guarded(() -> lookUpLease(leaseId)), next, TimeUnit.MILLISECONDS);
    }
  }

  // ---- plumbing ----

  private void markConnected(boolean now, Throwable cause) {
    if (stateLogged && now == connected) {
      return;
    }
    stateLogged = true;
    connected = now;
    if (now) {
      LOG.info("etcd answers requests");
    } else {
      LOG.warn("etcd requests fail, serving the last data ({} services at revision {}): {}",
          index.size(), revision, EtcdClients.describe(cause));
    }
  }

  private <T> CompletableFuture<T> withTimeout(CompletableFuture<T> call) {
    return call.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code task} on the backend thread; after {@link #close()} it is dropped. */
  private void run(Runnable task) {
    if (closed) {
      return;
    }
    try {
      executor.execute(guarded(task));
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  /**
   * Wraps a task for the backend thread so that a failure is logged and starts a full load over.
   * The executor would keep the exception in a future nobody reads, and would stop a periodic
   * task for good; the index may be half-updated, so only a fresh load makes it right again.
   */
  private Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        StackTraceElement[] stack = e.getStackTrace();
        LOG.error("An etcd backend task failed: {}{}", e, stack.length == 0 ? "" : " at " + stack[0]);
        // Also when the failed task was the load itself, whose flag would block a new one.
        loadScheduled = false;
        scheduleLoad("a task failed", false);
      }
    };
  }

  private static void cancel(ScheduledFuture<?> future) {
    if (future != null) {
      future.cancel(false);
    }
  }
}
