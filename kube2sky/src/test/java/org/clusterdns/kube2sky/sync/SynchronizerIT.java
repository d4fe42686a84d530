package org.clusterdns.kube2sky.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.clusterdns.etcd.EtcdClients.bytes;
import static org.clusterdns.kube2sky.sync.FakeSource.DNS_VERSION;
import static org.clusterdns.kube2sky.sync.FakeSource.directory;
import static org.clusterdns.kube2sky.sync.FakeSource.json;
import static org.clusterdns.kube2sky.sync.FakeSource.ptrKey;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.clusterdns.etcd.testing.EtcdProcess;
import org.clusterdns.etcd.testing.EtcdProcess.Mode;
import org.clusterdns.kube2sky.sync.RecordSource.Desired;
import org.clusterdns.kube2sky.sync.RecordStore.Change;
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The synchroniser against a real etcd of its own per test, since tests kill and wipe it. */
class SynchronizerIT {
  private static final ServiceKey WEB = new ServiceKey("default", "web");
  private static final ServiceKey API = new ServiceKey("prod", "api");
  private static final ServiceKey GONE = new ServiceKey("default", "gone");
  // kube2sky's default: a shorter one fails requests that a loaded machine answers late.
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  // How long a step may take on a loaded machine; the one bound the specification sets (records
  // back within 5 s of etcd restarting empty) is asserted as it is.
  private static final Duration STEP = Duration.ofSeconds(30);

  private final FakeSource source = new FakeSource();
  private final RecordingListener listener = new RecordingListener();
  private EtcdProcess etcd;
  private Client client;
  private EtcdRecordStore store;
  private Synchronizer synchronizer;

  @BeforeEach
  void startEtcd() {
    etcd = EtcdProcess.start(Mode.PLAIN);
    client = etcd.newClient();
    store = new EtcdRecordStore(client, REQUEST_TIMEOUT);
  }

  @AfterEach
  void stopAll() {
    if (synchronizer != null) {
      synchronizer.close();
    }
    client.close();
    etcd.close();
  }

  private void startSynchronizer() {
    startSynchronizer(store);
  }

  /**
   * Starts the synchroniser with requests that give up after a second: tests that stop etcd
   * wait for failures, and each failure takes one request timeout.
   */
  private void startSynchronizerFailingFast() {
    startSynchronizer(new EtcdRecordStore(client, Duration.ofSeconds(1)));
  }

  private void startSynchronizer(EtcdRecordStore synchronizerStore) {
    synchronizer = new Synchronizer(source, synchronizerStore, listener, Synchronizer.DEFAULT_RESYNC_PERIOD);
    synchronizer.start();
  }

  private Map<String, String> etcdContents() {
    return new TreeMap<>(store.read(List.of("/skydns/")).values());
  }

  private void reconcileNow(ServiceKey key) {
    int before = listener.of(key).size();
    synchronizer.enqueue(key, System.nanoTime());
    await().atMost(STEP).until(() -> listener.of(key).size() > before);
  }

  @Test
  void firstSyncUpdateAndDelete() {
    source.clusterIp(WEB, "10.0.0.1").clusterIp(API, "10.0.0.2");
    startSynchronizer();
    await().atMost(STEP).until(synchronizer::isReady);
    assertThat(etcdContents()).containsExactlyInAnyOrderEntriesOf(Map.of(
        DNS_VERSION, FakeSource.DNS_VERSION_JSON,
        directory(WEB) + "/10-0-0-1", json("10.0.0.1"), ptrKey("10.0.0.1"), json(FakeSource.name(WEB)),
        directory(API) + "/10-0-0-2", json("10.0.0.2"), ptrKey("10.0.0.2"), json(FakeSource.name(API))));

    source.clusterIp(WEB, "10.0.0.3");
    reconcileNow(WEB);
    assertThat(etcdContents()).containsKeys(directory(WEB) + "/10-0-0-3", ptrKey("10.0.0.3"))
        .doesNotContainKeys(directory(WEB) + "/10-0-0-1", ptrKey("10.0.0.1"));

    source.remove(WEB);
    reconcileNow(WEB);
    assertThat(etcdContents()).containsOnlyKeys(DNS_VERSION,
        directory(API) + "/10-0-0-2", ptrKey("10.0.0.2"));
    assertThat(synchronizer.recordsOwned()).isEqualTo(3);
  }

  @Test
  void startUpRemovesKeysOfServicesDeletedMeanwhileAndKeepsOthers() {
    store.commit(List.of(new Change(Map.of(
        directory(GONE) + "/10-0-0-9", json("10.0.0.9"),
        ptrKey("10.0.0.9"), json(FakeSource.name(GONE)),
        "/skydns/local/vm/host1", json("192.168.0.1")), Set.of())));
    source.clusterIp(WEB, "10.0.0.1");

    startSynchronizer();
    await().atMost(STEP).until(synchronizer::isReady);

    assertThat(etcdContents()).containsOnlyKeys(DNS_VERSION, "/skydns/local/vm/host1",
        directory(WEB) + "/10-0-0-1", ptrKey("10.0.0.1"));
  }

  @Test
  void etcdRestartedEmptyHasEveryRecordBackWithinFiveSeconds() {
    for (int i = 1; i <= 50; i++) {
      source.clusterIp(new ServiceKey("ns" + i % 5, "svc" + i), "10.1.0." + i);
    }
    startSynchronizer();
    await().atMost(STEP).until(synchronizer::isReady);
    Map<String, String> before = etcdContents();
    assertThat(before).hasSize(101);

    // restart returns once the empty etcd answers: the five seconds run from there.
    etcd.restart(true);

    await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> etcdContents().equals(before));
    assertThat(listener.dataLosses.get()).isPositive();
  }

  @Test
  void etcdDownAtStartRetriesStaysNotReadyThenRecovers() {
    source.clusterIp(WEB, "10.0.0.1");
    etcd.stop();
    startSynchronizerFailingFast();
    synchronizer.enqueue(API, System.nanoTime());

    await().atMost(STEP).until(() -> listener.failed.size() >= 2);
    assertThat(synchronizer.isReady()).isFalse();

    etcd.restart(false);
    await().atMost(STEP).until(synchronizer::isReady);
    assertThat(etcdContents()).containsKeys(DNS_VERSION, directory(WEB) + "/10-0-0-1");
  }

  @Test
  void updateWhileEtcdIsDownLandsWhenItIsBack() {
    source.clusterIp(WEB, "10.0.0.1");
    startSynchronizerFailingFast();
    await().atMost(STEP).until(synchronizer::isReady);

    etcd.stop();
    source.clusterIp(WEB, "10.0.0.2");
    synchronizer.enqueue(WEB, System.nanoTime());
    await().atMost(STEP).until(() -> listener.failed.contains(WEB));
    // Not ready while etcd does not answer: the update cannot land. It is retried, not lost.
    await().atMost(STEP).until(() -> !synchronizer.isReady());

    etcd.restart(false);
    await().atMost(STEP).ignoreExceptions()
        .until(() -> etcdContents().containsKey(directory(WEB) + "/10-0-0-2"));
    assertThat(etcdContents()).doesNotContainKey(directory(WEB) + "/10-0-0-1");
    assertThat(listener.of(WEB).get(listener.of(WEB).size() - 1).latencyNanos()).isPositive();
    await().atMost(STEP).until(synchronizer::isReady);
  }

  /**
   * THE no-NXDOMAIN-window test at the store level: while a Service's leaves are replaced again
   * and again, a reader polling its directory never finds it empty. With 150 leaves each update
   * is 300 operations, more than one etcd transaction holds.
   */
  @ParameterizedTest(name = "{0} leaves, {1} updates")
  @CsvSource({"1, 200", "150, 20"})
  void readerNeverSeesTheDirectoryEmptyWhileItsLeavesAreReplaced(int leaves, int updates) throws Exception {
    source.put(WEB, headless(WEB, 0, leaves));
    startSynchronizer();
    await().atMost(STEP).until(synchronizer::isReady);

    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong reads = new AtomicLong();
    AtomicInteger empty = new AtomicInteger();
    CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
      try (Client readerClient = etcd.newClient()) {
        while (writing.get()) {
          long count = readerClient.getKVClient()
              .get(bytes(directory(WEB) + "/"), GetOption.builder().isPrefix(true).withCountOnly(true).build())
              .get(5, TimeUnit.SECONDS).getCount();
          reads.incrementAndGet();
          if (count == 0) {
            empty.incrementAndGet();
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      for (int generation = 1; generation <= updates; generation++) {
        source.put(WEB, headless(WEB, generation, leaves));
        reconcileNow(WEB);
      }
    } finally {
      writing.set(false);
    }
    reader.get(STEP.toSeconds(), TimeUnit.SECONDS);

    assertThat(listener.of(WEB)).filteredOn(call -> call.puts() == leaves && call.deletes() == leaves)
        .hasSize(updates);
    assertThat(reads.get()).isGreaterThan(updates);
    assertThat(empty).hasValue(0);
  }

  /** A Service whose {@code count} leaves all change with each generation. */
  private static Desired headless(ServiceKey key, int generation, int count) {
    Map<String, String> leaves = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      String ip = "10." + (generation % 250) + "." + (i / 250) + "." + (i % 250);
      leaves.put(directory(key) + "/" + ip.replace('.', '-'), json(ip));
    }
    return new Desired(leaves, List.of());
  }
}
