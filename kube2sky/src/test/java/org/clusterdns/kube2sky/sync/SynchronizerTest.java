package org.clusterdns.kube2sky.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.clusterdns.kube2sky.sync.FakeSource.DNS_VERSION;
import static org.clusterdns.kube2sky.sync.FakeSource.directory;
import static org.clusterdns.kube2sky.sync.FakeSource.json;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clusterdns.kube2sky.sync.RecordStore.Change;
import org.clusterdns.kube2sky.sync.RecordingListener.Reconciled;
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SynchronizerTest {
  private static final ServiceKey WEB = new ServiceKey("default", "web");
  private static final ServiceKey API = new ServiceKey("prod", "api");
  private static final ServiceKey GONE = new ServiceKey("default", "gone");
  private static final Duration FAST_PROBE = Duration.ofMillis(50);
  private static final Backoff FAST_BACKOFF = new Backoff(Duration.ofMillis(10), Duration.ofMillis(200));

  private final FakeSource source = new FakeSource();
  private final RecordingStore store = new RecordingStore();
  private final RecordingListener listener = new RecordingListener();
  private Synchronizer synchronizer;

  @AfterEach
  void close() {
    if (synchronizer != null) {
      synchronizer.close();
    }
  }

  private Synchronizer start(SyncListener listener, Duration resync) {
    synchronizer = new Synchronizer(source, store, listener, resync, FAST_PROBE, FAST_BACKOFF);
    synchronizer.start();
    return synchronizer;
  }

  private Synchronizer startReady() {
    start(listener, Duration.ofMinutes(5));
    await().atMost(Duration.ofSeconds(5)).until(synchronizer::isReady);
    return synchronizer;
  }

  @Test
  void firstFullReconcileWritesEverythingAndMakesReady() {
    source.clusterIp(WEB, "10.0.0.1").clusterIp(API, "10.0.0.2");
    store.memory.commit(List.of(new Change(Map.of(directory(GONE) + "/x", json("10.0.0.3")), Set.of())));

    startReady();

    assertThat(store.memory.contents()).containsOnlyKeys(DNS_VERSION,
        directory(WEB) + "/10-0-0-1", FakeSource.ptrKey("10.0.0.1"),
        directory(API) + "/10-0-0-2", FakeSource.ptrKey("10.0.0.2"));
    assertThat(synchronizer.recordsOwned()).isEqualTo(5);
    assertThat(listener.fullReconciles).hasValue(1);
    assertThat(listener.reconciled).extracting(Reconciled::latencyNanos).containsOnly(-1L);
  }

  @Test
  void nothingIsWrittenAndNotReadyWhileTheSourceIsIncomplete() {
    source.complete(false);
    Map<String, String> stale = Map.of(directory(GONE) + "/x", json("10.0.0.3"));
    store.memory.commit(List.of(new Change(stale, Set.of())));
    source.clusterIp(WEB, "10.0.0.1");
    start(listener, Duration.ofMinutes(5));
    synchronizer.enqueue(WEB, System.nanoTime());

    await().atMost(Duration.ofSeconds(5)).until(() -> source.completeChecks.get() >= 3);

    assertThat(synchronizer.isReady()).isFalse();
    assertThat(synchronizer.queueDepth()).isEqualTo(1);
    assertThat(store.memory.contents()).isEqualTo(stale);
    source.complete(true);
    await().atMost(Duration.ofSeconds(5)).until(synchronizer::isReady);
    assertThat(store.memory.contents()).doesNotContainKeys(directory(GONE) + "/x");
    assertThat(listener.of(WEB)).singleElement().extracting(Reconciled::latencyNanos).isNotEqualTo(-1L);
  }

  @Test
  void eventsQueuedBeforeStartAreReportedWithTheirLatencyByTheFirstFullReconcile() {
    source.clusterIp(WEB, "10.0.0.1");
    synchronizer = new Synchronizer(source, store, listener, Duration.ofMinutes(5), FAST_PROBE, FAST_BACKOFF);
    synchronizer.enqueue(WEB, System.nanoTime());
    synchronizer.enqueue(GONE, System.nanoTime());
    assertThat(synchronizer.queueDepth()).isEqualTo(2);

    synchronizer.start();

    await().atMost(Duration.ofSeconds(5)).until(synchronizer::isReady);
    assertThat(listener.of(WEB)).singleElement().satisfies(call -> {
      assertThat(call.puts()).isEqualTo(2);
      assertThat(call.latencyNanos()).isPositive();
    });
    assertThat(listener.of(GONE)).singleElement().extracting(Reconciled::latencyNanos).isNotEqualTo(-1L);
    assertThat(synchronizer.queueDepth()).isZero();
  }

  @Test
  void tenEnqueuesOfOneKeyCauseOneReconcile() throws InterruptedException {
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ServiceKey blocker = new ServiceKey("default", "blocker");
    start(new SyncListener() {
      @Override
      public void reconciled(ServiceKey key, int puts, int deletes, long latencyNanos) {
        listener.reconciled(key, puts, deletes, latencyNanos);
        if (key.equals(blocker) && latencyNanos != -1) {
          blocked.countDown();
          awaitQuietly(release);
        }
      }
    }, Duration.ofMinutes(5));
    await().atMost(Duration.ofSeconds(5)).until(synchronizer::isReady);
    synchronizer.enqueue(blocker, System.nanoTime());
    assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();

    source.clusterIp(WEB, "10.0.0.1");
    for (int i = 0; i < 10; i++) {
      synchronizer.enqueue(WEB, System.nanoTime());
    }
    synchronizer.enqueue(API, System.nanoTime());
    assertThat(synchronizer.queueDepth()).isEqualTo(2);
    release.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> listener.of(API).size() == 1);
    assertThat(listener.of(WEB)).hasSize(1);
  }

  @Test
  void latencyRunsFromTheEarliestEventToTheCommit() {
    startReady();
    source.clusterIp(WEB, "10.0.0.1");
    long event = System.nanoTime() - TimeUnit.SECONDS.toNanos(2);

    synchronizer.enqueue(WEB, event);
    synchronizer.enqueue(WEB, System.nanoTime());

    await().atMost(Duration.ofSeconds(5)).until(() -> !listener.of(WEB).isEmpty());
    assertThat(listener.of(WEB).get(0).latencyNanos())
        .isBetween(TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(7));
  }

  @Test
  void failingStoreIsRetriedWithBackoffUntilItWorks() {
    startReady();
    source.clusterIp(WEB, "10.0.0.1");
    store.failNext(3);

    synchronizer.enqueue(WEB, System.nanoTime());

    await().atMost(Duration.ofSeconds(5)).until(() -> listener.of(WEB).size() == 1);
    assertThat(listener.failed).containsExactly(WEB, WEB, WEB);
    assertThat(store.memory.contents()).containsKey(directory(WEB) + "/10-0-0-1");
    assertThat(synchronizer.queueDepth()).isZero();
  }

  @Test
  void storeDownAtStartKeepsItNotReadyUntilItComesBack() {
    source.clusterIp(WEB, "10.0.0.1");
    store.down(true);
    start(listener, Duration.ofMinutes(5));
    synchronizer.enqueue(API, System.nanoTime());

    await().atMost(Duration.ofSeconds(5)).until(() -> listener.failed.size() >= 2);
    assertThat(listener.failed).containsOnly(API);
    assertThat(synchronizer.isReady()).isFalse();
    store.down(false);

    await().atMost(Duration.ofSeconds(5)).until(synchronizer::isReady);
    assertThat(store.memory.contents()).containsKey(directory(WEB) + "/10-0-0-1");
    assertThat(listener.of(API)).hasSize(1);
  }

  @Test
  void wipedStoreIsRestoredAndReported() {
    source.clusterIp(WEB, "10.0.0.1").clusterIp(API, "10.0.0.2");
    startReady();
    Map<String, String> before = store.memory.contents();

    store.memory.wipe();

    await().atMost(Duration.ofSeconds(5)).until(() -> listener.fullReconciles.get() >= 2 && synchronizer.isReady());
    assertThat(store.memory.contents()).isEqualTo(before);
    assertThat(listener.dataLosses).hasValue(1);
    assertThat(listener.fullReconciles).hasValue(2);
  }

  @Test
  void aProbeReadTakenBeforeTheRepairDoesNotReportASecondLoss() throws InterruptedException {
    source.clusterIp(WEB, "10.0.0.1");
    startReady();
    CountDownLatch staleReadTaken = new CountDownLatch(1);
    AtomicBoolean holdNextStaleRead = new AtomicBoolean();
    // The repair writes only after a probe has read the store as it was before the repair...
    store.beforeCommit = () -> {
      if (Thread.currentThread().getName().equals(Synchronizer.WORKER_THREAD)) {
        awaitQuietly(staleReadTaken);
      }
    };
    // ...and that probe's answer arrives only after the repair has finished.
    store.afterRead = snapshot -> {
      if (Thread.currentThread().getName().equals(Synchronizer.PROBE_THREAD)
          && !snapshot.values().containsKey(DNS_VERSION)
          && listener.dataLosses.get() == 1
          && holdNextStaleRead.compareAndSet(false, true)) {
        staleReadTaken.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.fullReconciles.get() >= 2);
      }
    };

    store.memory.commit(List.of(new Change(Map.of(), Set.of(DNS_VERSION))));

    await().atMost(Duration.ofSeconds(5)).until(() -> listener.fullReconciles.get() >= 2);
    int readsAfterRepair = store.reads.get();
    await().atMost(Duration.ofSeconds(5)).until(() -> store.reads.get() >= readsAfterRepair + 3);
    assertThat(holdNextStaleRead).isTrue();
    assertThat(listener.dataLosses).hasValue(1);
    assertThat(listener.fullReconciles).hasValue(2);
    assertThat(synchronizer.isReady()).isTrue();
  }

  @Test
  void aFailingFullReconcileMakesItNotReadyUntilOneSucceeds() {
    source.clusterIp(WEB, "10.0.0.1");
    start(listener, Duration.ofMillis(200));
    await().atMost(Duration.ofSeconds(5)).until(synchronizer::isReady);

    store.down(true);
    await().atMost(Duration.ofSeconds(5)).until(() -> !synchronizer.isReady());

    store.down(false);
    await().atMost(Duration.ofSeconds(5)).until(synchronizer::isReady);
  }

  @Test
  void etcdThatStopsAnsweringMakesItNotReadyUntilItAnswersAgain() {
    // No full reconcile is due for minutes: only the probe can notice.
    source.clusterIp(WEB, "10.0.0.1");
    startReady();

    store.down(true);
    await().atMost(Duration.ofSeconds(5)).until(() -> !synchronizer.isReady());
    assertThat(listener.fullReconciles).hasValue(1);

    store.down(false);
    await().atMost(Duration.ofSeconds(5)).until(synchronizer::isReady);
  }

  @Test
  void aServiceThatKeepsFailingDoesNotMakeItNotReady() {
    startReady();
    source.clusterIp(WEB, "10.0.0.1");
    source.failWith(new IllegalStateException("bug in the record functions"));

    synchronizer.enqueue(WEB, System.nanoTime());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.failed.size() >= 3);

    assertThat(synchronizer.isReady()).isTrue();
  }

  @Test
  void deletedDnsVersionIsNoticedByTheProbeAndRestored() {
    source.clusterIp(WEB, "10.0.0.1");
    startReady();

    store.memory.commit(List.of(new Change(Map.of(), Set.of(DNS_VERSION))));

    await().atMost(Duration.ofSeconds(5)).until(() -> listener.fullReconciles.get() >= 2 && synchronizer.isReady());
    assertThat(store.memory.contents()).containsKey(DNS_VERSION);
    assertThat(listener.dataLosses).hasValue(1);
  }

  @Test
  void periodicFullReconcileRemovesWhatAppearedBehindItsBack() {
    source.clusterIp(WEB, "10.0.0.1");
    start(listener, Duration.ofMillis(200));
    await().atMost(Duration.ofSeconds(5)).until(synchronizer::isReady);

    store.memory.commit(List.of(new Change(Map.of(directory(GONE) + "/x", json("10.0.0.3")), Set.of())));

    await().atMost(Duration.ofSeconds(5))
        .until(() -> !store.memory.contents().containsKey(directory(GONE) + "/x"));
    assertThat(listener.fullReconciles.get()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void failingSourceIsRetriedAndNeverStopsTheWorker() {
    startReady();
    source.failWith(new IllegalStateException("bug in the record functions"));
    synchronizer.enqueue(WEB, System.nanoTime());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.failed.size() >= 2);

    source.failWith(null);
    source.clusterIp(WEB, "10.0.0.1");

    await().atMost(Duration.ofSeconds(5)).until(() -> listener.of(WEB).stream().anyMatch(call -> call.puts() == 2));
  }

  @Test
  void closeStopsTheWorker() {
    startReady();
    synchronizer.close();
    source.clusterIp(WEB, "10.0.0.1");

    synchronizer.enqueue(WEB, System.nanoTime());

    assertThat(synchronizer.queueDepth()).isEqualTo(1);
  }

  @Test
  void rejectsANonPositiveResyncPeriod() {
    assertThatThrownBy(() -> new Synchronizer(source, store, listener, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
