package org.clusterdns.kube2sky.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusterdns.etcd.EtcdClients.bytes;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.clusterdns.etcd.EtcdClients;
import org.clusterdns.etcd.EtcdConfig;
import org.clusterdns.etcd.testing.EtcdExtension;
import org.clusterdns.etcd.testing.EtcdProcess;
import org.clusterdns.etcd.testing.EtcdProcess.Mode;
import org.clusterdns.kube2sky.sync.RecordStore.Change;
import org.clusterdns.kube2sky.sync.RecordStore.Page;
import org.clusterdns.kube2sky.sync.RecordStore.Snapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdRecordStoreIT {
  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension(Mode.PLAIN);

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private Client client;
  private EtcdRecordStore store;
  private String dir;

  @BeforeEach
  void connect(TestInfo test) {
    client = ETCD.etcd().newClient();
    store = new EtcdRecordStore(client, TIMEOUT);
    // Each test its own directory: the etcd is shared by the class.
    dir = "/it/" + test.getTestMethod().orElseThrow().getName() + "/svc";
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  @Test
  void readsExactKeysAndEverythingUnderADirectoryButNotItsNeighbours() {
    store.commit(List.of(new Change(Map.of(
        dir + "/web", "external",
        dir + "/web/a", "1",
        dir + "/web/_tcp/_http/a", "2",
        dir + "/web2/a", "3",
        dir + "/webx", "4"), Set.of())));

    Snapshot snapshot = store.read(List.of(dir + "/web", dir + "/web/"));

    assertThat(snapshot.values()).containsExactlyInAnyOrderEntriesOf(Map.of(
        dir + "/web", "external", dir + "/web/a", "1", dir + "/web/_tcp/_http/a", "2"));
    assertThat(snapshot.revision()).isPositive();
  }

  @Test
  void commitOfOneChangeIsOneRevisionWithPutsAndDeletesTogether() {
    store.commit(List.of(new Change(Map.of(dir + "/web/old", "10.0.0.1"), Set.of())));
    long before = store.read(List.of()).revision();

    long after = store.commit(List.of(new Change(Map.of(dir + "/web/new", "10.0.0.2"), Set.of(dir + "/web/old"))));

    assertThat(after).isEqualTo(before + 1);
    assertThat(store.read(List.of(dir + "/")).values()).containsExactlyEntriesOf(Map.of(dir + "/web/new", "10.0.0.2"));
  }

  @Test
  void smallChangesShareOneTransaction() {
    long before = store.read(List.of()).revision();

    long after = store.commit(List.of(
        new Change(Map.of(dir + "/a/1", "1"), Set.of()),
        new Change(Map.of(dir + "/b/1", "1"), Set.of(dir + "/a/0"))));

    assertThat(after).isEqualTo(before + 1);
  }

  @Test
  void etcdRefusesMoreThan128OpsInOneTransaction() {
    EtcdRecordStore unsplit = new EtcdRecordStore(client, TIMEOUT, 1000);

    assertThatThrownBy(() -> unsplit.commit(List.of(new Change(leaves(dir + "/big", "v", 129), Set.of()))))
        .isInstanceOf(RecordStoreException.class)
        .hasMessageContaining("too many operations");
  }

  @Test
  void withEtcdsLimitRaisedAChangeOf500OperationsIsOneTransaction() {
    // The pod's etcd runs with --max-txn-ops=1024 and kube2sky with --etcd-max-txn-ops=1024.
    try (EtcdProcess raised = EtcdProcess.start(Mode.PLAIN, "--max-txn-ops=1024");
        Client raisedClient = raised.newClient()) {
      EtcdRecordStore large = new EtcdRecordStore(raisedClient, TIMEOUT, 1024);
      large.commit(List.of(new Change(leaves(dir + "/big", "old", 200), Set.of())));
      Map<String, String> next = leaves(dir + "/big", "new", 300);
      long before = large.read(List.of()).revision();

      long after = large.commit(List.of(new Change(next, leaves(dir + "/big", "old", 200).keySet())));

      assertThat(after).isEqualTo(before + 1);
      assertThat(large.read(List.of()).revision()).as("one transaction").isEqualTo(before + 1);
      assertThat(large.read(List.of(dir + "/big/")).values()).isEqualTo(next);
    }
  }

  @Test
  void changeLargerThanATransactionIsSplitAndApplied() {
    store.commit(List.of(new Change(leaves(dir + "/big", "old", 200), Set.of())));
    Map<String, String> next = leaves(dir + "/big", "new", 300);
    long before = store.read(List.of()).revision();

    long after = store.commit(List.of(new Change(next, leaves(dir + "/big", "old", 200).keySet())));

    // 500 operations: 4 transactions of at most 128.
    assertThat(store.read(List.of()).revision()).isEqualTo(before + 4);
    assertThat(after).isEqualTo(before + 1);
    assertThat(store.read(List.of(dir + "/big/")).values()).isEqualTo(next);
  }

  @Test
  void splitChangeWritesItsPutsBeforeItsDeletesSoTheDirectoryIsNeverEmpty() throws Exception {
    EtcdRecordStore tiny = new EtcdRecordStore(client, TIMEOUT, 4);
    tiny.commit(List.of(new Change(leaves(dir + "/web", "old", 3), Set.of())));
    long before = tiny.read(List.of()).revision();

    tiny.commit(List.of(new Change(leaves(dir + "/web", "new", 6), leaves(dir + "/web", "old", 3).keySet())));

    long after = tiny.read(List.of()).revision();
    assertThat(after).isEqualTo(before + 3);
    for (long revision = before; revision <= after; revision++) {
      long count = client.getKVClient()
          .get(bytes(dir + "/web/"), GetOption.builder().isPrefix(true).withRevision(revision).withCountOnly(true).build())
          .get(5, TimeUnit.SECONDS).getCount();
      assertThat(count).as("leaves at revision %d", revision).isPositive();
    }
  }

  @Test
  void readOfMoreRangesThanATransactionHolds() {
    Map<String, String> values = leaves(dir + "/many", "v", 300);
    store.commit(List.of(new Change(values, Set.of())));

    Snapshot snapshot = store.read(List.copyOf(values.keySet()));

    assertThat(snapshot.values()).isEqualTo(values);
  }

  @Test
  void readOfMoreTransactionsThanAreSentAtOnce() {
    // 2,000 ranges: 16 transactions of 128, more than one window of transactions in flight.
    Map<String, String> values = leaves(dir + "/many", "v", 2000);
    store.commit(List.of(new Change(values, Set.of())));

    Snapshot snapshot = store.read(List.copyOf(values.keySet()));

    assertThat(snapshot.values()).isEqualTo(values);
  }

  @Test
  void scanReadsADirectorysKeysPageByPageInKeyOrderWithoutItsNeighbours() {
    Map<String, String> inside = leaves(dir + "/web", "k", 7);
    inside.put(dir + "/web/_tcp/_http/a", "srv");
    Map<String, String> all = new TreeMap<>(inside);
    all.put(dir + "/web2/a", "neighbour");
    all.put(dir + "/wea", "before");
    store.commit(List.of(new Change(all, Set.of())));

    List<String> keys = new ArrayList<>();
    String from = dir + "/web/";
    int pages = 0;
    Page page;
    do {
      page = store.scan(dir + "/web/", from, 3);
      pages++;
      assertThat(page.keys()).hasSizeLessThanOrEqualTo(3);
      keys.addAll(page.keys());
      if (!page.keys().isEmpty()) {
        from = page.keys().last() + "\0";
      }
    } while (page.more());

    assertThat(keys).containsExactlyElementsOf(new TreeMap<>(inside).keySet());
    assertThat(pages).isEqualTo(3);
    assertThat(page.revision()).isPositive();
  }

  @Test
  void scanOfAnEmptyDirectoryIsOneEmptyPage() {
    Page page = store.scan(dir + "/nothing/", dir + "/nothing/", 10);

    assertThat(page.keys()).isEmpty();
    assertThat(page.more()).isFalse();
  }

  @Test
  void changesTouchingOneKeyTwiceGoToSeparateTransactions() {
    store.commit(List.of(new Change(Map.of(dir + "/k", "1"), Set.of())));

    store.commit(List.of(
        new Change(Map.of(), Set.of(dir + "/k")),
        new Change(Map.of(dir + "/k", "2"), Set.of())));

    assertThat(store.read(List.of(dir + "/k")).values()).containsExactlyEntriesOf(Map.of(dir + "/k", "2"));
  }

  @Test
  void unreachableEtcdFailsWithinTheTimeout() {
    URI nowhere = URI.create("http://127.0.0.1:" + EtcdProcess.freePort());
    try (Client unreachable = EtcdClients.create(EtcdConfig.plain(List.of(nowhere), "skydns"))) {
      EtcdRecordStore down = new EtcdRecordStore(unreachable, Duration.ofMillis(500));
      long start = System.nanoTime();

      assertThatThrownBy(() -> down.read(List.of("/skydns/"))).isInstanceOf(RecordStoreException.class);
      assertThatThrownBy(() -> down.commit(List.of(new Change(Map.of("/skydns/x", "1"), Set.of()))))
          .isInstanceOf(RecordStoreException.class);

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void rejectsANonPositiveTransactionSize() {
    assertThatThrownBy(() -> new EtcdRecordStore(client, TIMEOUT, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static Map<String, String> leaves(String directory, String value, int count) {
    Map<String, String> leaves = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      leaves.put(directory + "/" + value + i, value);
    }
    return leaves;
  }
}
