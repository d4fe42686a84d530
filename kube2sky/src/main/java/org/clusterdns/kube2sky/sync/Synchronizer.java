package org.clusterdns.kube2sky.sync;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.clusterdns.etcd.EtcdClients;
import org.clusterdns.kube2sky.sync.RecordStore.Snapshot;
import org.clusterdns.kube2sky.sync.ServiceReconciler.FullResult;
import org.clusterdns.kube2sky.sync.ServiceReconciler.Result;
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps etcd in step with the cluster: reconciles each queued Service, runs a full reconcile at
 * start-up and every resync period, and notices when etcd lost its data.
 *
 * <p>One worker thread does all writing: it takes Services from a coalescing queue and reconciles
 * them, retrying failures with exponential backoff (100 ms to 30 s), and runs the full reconciles,
 * which also remove what no Service owns (Services deleted while kube2sky was down) and take over
 * the Services queued meanwhile. The first full reconcile waits until the source is complete (the
 * informers have listed everything), so a partial view never deletes records; until it has
 * succeeded, queued Services wait for it, and kube2sky is not ready. A failed full reconcile is
 * retried with the same backoff and reported as a failure of each Service it took over.
 *
 * <p>A probe thread reads the cluster leaves ({@code dns-version}) every second. If etcd's
 * revision went backwards, or those leaves are gone, etcd restarted empty: a full reconcile
 * rewrites every record at once. While the probe gets no answer, kube2sky is not ready: changes
 * cannot land, so the DNS answers made from this etcd go stale. When etcd answers again,
 * everything waiting out a backoff is retried at once. A failure to reconcile one Service does not
 * change readiness: it is retried, counted and logged, and a Service that every replica fails on
 * must not take every replica out. Nothing here ever exits the process.
 *
 * @implNote Thread-safe. The {@link SyncListener} is called on the worker thread, except
 *     {@link SyncListener#etcdDataLost()}, which the probe thread may call.
 */
public final class Synchronizer implements AutoCloseable {
  /** The default period of full reconciles. */
  public static final Duration DEFAULT_RESYNC_PERIOD = Duration.ofMinutes(5);

  /** The name of the thread that writes, for thread dumps and tests. */
  static final String WORKER_THREAD = "kube2sky-sync";
  /** The name of the thread that probes etcd. */
  static final String PROBE_THREAD = "kube2sky-etcd-probe";

  private static final Logger LOG = LoggerFactory.getLogger(Synchronizer.class);
  private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
  private static final long SOURCE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final RecordSource source;
  private final RecordStore store;
  private final SyncListener listener;
  private final long resyncNanos;
  private final Duration probeInterval;
  private final Backoff backoff;
  private final WorkQueue<ServiceKey> queue;
  private final RevisionTracker revisions = new RevisionTracker(() -> dataLost("its revision went backwards"));
  private final ServiceReconciler reconciler;
  private final Thread worker = new Thread(this::work, WORKER_THREAD);
  private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, PROBE_THREAD);
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean fullRequested = new AtomicBoolean(true);
  private final AtomicBoolean lossReported = new AtomicBoolean();
  // Orders the probe's verdicts with the end of full reconciles; guards fullsCompleted.
  private final Object lossLock = new Object();
  private long fullsCompleted;
  private volatile boolean closed;
  private volatile boolean ready;
  private volatile boolean fullFailing;
  private volatile long recordsOwned;

  // Worker thread only.
  private long nextFullNanos = System.nanoTime();
  private int fullFailures;
  private boolean failing;
  private boolean waitingForSource;
  // Written by the probe thread only.
  private volatile boolean probeFailing;

  /**
   * Creates a synchroniser; nothing happens before {@link #start()}.
   *
   * @param source what etcd should hold
   * @param store etcd
   * @param listener told about every reconcile, for metrics
   * @param resyncPeriod the time between full reconciles
   */
  public Synchronizer(RecordSource source, RecordStore store, SyncListener listener, Duration resyncPeriod) {
    this(source, store, listener, resyncPeriod, PROBE_INTERVAL, Backoff.DEFAULT);
  }

  Synchronizer(RecordSource source, RecordStore store, SyncListener listener, Duration resyncPeriod,
      Duration probeInterval, Backoff backoff) {
    this.source = Objects.requireNonNull(source, "source");
    this.store = Objects.requireNonNull(store, "store");
    this.listener = Objects.requireNonNull(listener, "listener");
    if (resyncPeriod.isNegative() || resyncPeriod.isZero()) {
      throw new IllegalArgumentException("the resync period must be positive: " + resyncPeriod);
    }
    this.resyncNanos = resyncPeriod.toNanos();
    this.probeInterval = probeInterval;
    this.backoff = backoff;
    this.queue = new WorkQueue<>(backoff);
    this.reconciler = new ServiceReconciler(source, store, revisions);
    worker.setDaemon(true);
  }

  /** Starts the worker and the probe: the first full reconcile begins as soon as the source is complete. */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("already started");
    }
    worker.start();
    prober.scheduleWithFixedDelay(this::probe, probeInterval.toNanos(), probeInterval.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  /**
   * Queues a Service for reconciling, because of an API event at {@code eventNanos} (a
   * {@link System#nanoTime()} value, or -1 when no event caused it); the programming latency is
   * measured from the earliest event of a key that is still queued. Callable before
   * {@link #start()}.
   */
  public void enqueue(ServiceKey key, long eventNanos) {
    queue.add(key, eventNanos);
  }

  /**
   * Returns whether etcd holds every Service's records and takes changes: a full reconcile has
   * succeeded, since then etcd has not lost its data and no full reconcile has failed, and etcd
   * answered the last probe.
   */
  public boolean isReady() {
    return ready && !lossReported.get() && !fullFailing && !probeFailing;
  }

  /** Returns how many Services wait to be reconciled, those waiting out a backoff included. */
  public int queueDepth() {
    return queue.depth();
  }

  /** Returns how many records kube2sky keeps in etcd, as of the last reconcile. */
  public long recordsOwned() {
    return recordsOwned;
  }

  /** Stops the worker and the probe, interrupting a reconcile in progress, and waits for them briefly. */
  @Override
  public void close() {
    closed = true;
    prober.shutdownNow();
    worker.interrupt();
    try {
      if (started.get()) {
        worker.join(CLOSE_TIMEOUT.toMillis());
      }
      prober.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void work() {
    while (!closed) {
      try {
        if (fullRequested.get() || System.nanoTime() - nextFullNanos >= 0) {
          fullReconcile();
        } else if (!ready) {
          // Until the first full reconcile, Services stay queued: it takes them all in one go,
          // which at start-up is far faster than one transaction pair per Service.
          LockSupport.parkNanos(this, nextFullNanos - System.nanoTime());
        } else {
          Optional<WorkQueue.Item<ServiceKey>> item = queue.poll(nextFullNanos - System.nanoTime());
          if (item.isPresent()) {
            reconcile(item.get());
          }
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void reconcile(WorkQueue.Item<ServiceKey> item) {
    ServiceKey key = item.key();
    try {
      Result result = reconciler.reconcile(key);
      long now = System.nanoTime();
      queue.done(key);
      recordsOwned = reconciler.recordsOwned();
      succeeded();
      listener.reconciled(key, result.puts(), result.deletes(), latency(item.eventNanos(), now));
    } catch (RuntimeException e) {
      long delay = queue.failed(item);
      failed("reconciling Service " + key, e, delay);
      listener.reconcileFailed(key, e);
    }
  }

  private void fullReconcile() {
    fullRequested.set(false);
    Map<ServiceKey, Long> pending = Map.of();
    try {
      if (!source.isComplete()) {
        if (!waitingForSource) {
          waitingForSource = true;
          LOG.info("Waiting for the informers' first list before the full reconcile");
        }
        nextFullNanos = System.nanoTime() + SOURCE_POLL_NANOS;
        return;
      }
      waitingForSource = false;
      pending = queue.drain();
      fullReconcile(pending);
    } catch (RuntimeException e) {
      pending.forEach(queue::add);
      // The queued Services were being reconciled too, and will be again.
      pending.keySet().forEach(key -> listener.reconcileFailed(key, e));
      fullFailures++;
      fullFailing = true;
      long delay = backoff.delayNanos(fullFailures);
      nextFullNanos = System.nanoTime() + delay;
      failed("the full reconcile", e, delay);
    }
  }

  private void fullReconcile(Map<ServiceKey, Long> pending) {
    boolean lossBefore = lossReported.get();
    long start = System.nanoTime();
    FullResult result = reconciler.reconcileAll(pending.keySet());
    long now = System.nanoTime();
    recordsOwned = reconciler.recordsOwned();
    nextFullNanos = now + resyncNanos;
    fullFailures = 0;
    succeeded();
    LOG.info("Full reconcile of {} Services: wrote {} and deleted {} records in {} ms",
        result.services().size(), result.puts(), result.deletes(), TimeUnit.NANOSECONDS.toMillis(now - start));
    // The listener hears of the reconcile before anyone can see its effect on readiness, so
    // whoever sees kube2sky ready also sees the metrics of the reconcile that made it so.
    result.services().forEach((key, done) -> listener.reconciled(key, done.puts(), done.deletes(),
        latency(pending.getOrDefault(key, WorkQueue.NO_EVENT), now)));
    listener.fullReconcileDone(result.services().size(), result.puts(), result.deletes(), now - start);
    synchronized (lossLock) {
      fullsCompleted++;
      fullFailing = false;
      if (lossBefore) {
        // Only a full reconcile that began after the loss was noticed has repaired it.
        lossReported.set(false);
      }
    }
    if (!ready) {
      ready = true;
      LOG.info("Ready: etcd holds the records of every Service");
    }
  }

  /** Reads the cluster leaves: a revision that went backwards or missing leaves mean etcd lost its data. */
  private void probe() {
    try {
      Map<String, String> clusterLeaves = source.clusterLeaves();
      long fullsBefore = fullsCompleted();
      long mark = revisions.mark();
      Snapshot snapshot = store.read(clusterLeaves.keySet());
      revisions.observe(mark, snapshot.revision());
      if (ready && !snapshot.values().equals(clusterLeaves)) {
        leavesMissing(fullsBefore);
      }
      if (probeFailing) {
        probeFailing = false;
        LOG.info("etcd answers again; retrying what failed");
        queue.retryNow();
        if (fullFailing) {
          requestFull();
        }
      }
    } catch (RuntimeException e) {
      if (!probeFailing) {
        probeFailing = true;
        LOG.warn("etcd does not answer the probe, not ready until it does: {}", EtcdClients.describe(e));
      }
    }
  }

  private long fullsCompleted() {
    synchronized (lossLock) {
      return fullsCompleted;
    }
  }

  /**
   * Reports a loss unless a full reconcile finished after the read began: that read may predate
   * the reconcile's writes, and taking it for a new loss would report a repaired loss twice.
   * The next probe reads after the writes and catches a loss that is real.
   */
  private void leavesMissing(long fullsBeforeRead) {
    synchronized (lossLock) {
      if (fullsCompleted == fullsBeforeRead) {
        dataLost("the cluster leaves are missing");
      }
    }
  }

  private void dataLost(String sign) {
    synchronized (lossLock) {
      if (lossReported.compareAndSet(false, true)) {
        LOG.warn("etcd lost its data ({}); rewriting every record", sign);
        listener.etcdDataLost();
      }
    }
    // Every time: a second loss while the repair is being written must cause another repair.
    requestFull();
  }

  private void requestFull() {
    fullRequested.set(true);
    queue.wake();
    LockSupport.unpark(worker);
  }

  private void failed(String what, RuntimeException error, long delayNanos) {
    if (!failing) {
      failing = true;
      LOG.warn("Failed {}, retrying with backoff: {}", what, EtcdClients.describe(error));
    } else {
      LOG.debug("Failed {}, retrying in {} ms: {}", what, TimeUnit.NANOSECONDS.toMillis(delayNanos),
          EtcdClients.describe(error));
    }
  }

  private void succeeded() {
    if (failing) {
      failing = false;
      LOG.info("Reconciling succeeds again");
    }
  }

  private static long latency(long eventNanos, long commitNanos) {
    return eventNanos == WorkQueue.NO_EVENT ? -1 : commitNanos - eventNanos;
  }
}
