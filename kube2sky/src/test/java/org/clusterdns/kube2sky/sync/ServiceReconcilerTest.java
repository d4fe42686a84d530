package org.clusterdns.kube2sky.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusterdns.kube2sky.sync.FakeSource.DNS_VERSION;
import static org.clusterdns.kube2sky.sync.FakeSource.DNS_VERSION_JSON;
import static org.clusterdns.kube2sky.sync.FakeSource.directory;
import static org.clusterdns.kube2sky.sync.FakeSource.json;
import static org.clusterdns.kube2sky.sync.FakeSource.name;
import static org.clusterdns.kube2sky.sync.FakeSource.ptrKey;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterdns.kube2sky.sync.RecordSource.Desired;
import org.clusterdns.kube2sky.sync.RecordSource.PtrClaim;
import org.clusterdns.kube2sky.sync.RecordStore.Change;
import org.clusterdns.kube2sky.sync.ServiceReconciler.FullResult;
import org.clusterdns.kube2sky.sync.ServiceReconciler.Result;
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceReconcilerTest {
  private static final ServiceKey WEB = new ServiceKey("default", "web");
  private static final ServiceKey WEB2 = new ServiceKey("default", "web2");
  private static final ServiceKey API = new ServiceKey("prod", "api");

  private final FakeSource source = new FakeSource();
  private final RecordingStore store = new RecordingStore();
  private final AtomicInteger losses = new AtomicInteger();
  private final ServiceReconciler reconciler =
      new ServiceReconciler(source, store, new RevisionTracker(losses::incrementAndGet));

  @Test
  void firstSyncWritesTheLeavesAndThePtrInOneCommit() {
    source.clusterIp(WEB, "10.0.0.1");

    Result result = reconciler.reconcile(WEB);

    assertThat(result).isEqualTo(new Result(2, 0));
    assertThat(store.commits).hasSize(1);
    assertThat(store.memory.contents()).containsExactlyInAnyOrderEntriesOf(Map.of(
        directory(WEB) + "/10-0-0-1", json("10.0.0.1"),
        ptrKey("10.0.0.1"), json(name(WEB))));
    assertThat(reconciler.recordsOwned()).isEqualTo(2);
  }

  @Test
  void changedIpPutsTheNewAndDeletesTheOldInOneCommit() {
    source.clusterIp(WEB, "10.0.0.1");
    reconciler.reconcile(WEB);
    source.clusterIp(WEB, "10.0.0.2");

    Result result = reconciler.reconcile(WEB);

    assertThat(result).isEqualTo(new Result(2, 2));
    assertThat(store.commits).hasSize(2);
    assertThat(store.commits.get(1)).containsExactly(new Change(
        Map.of(directory(WEB) + "/10-0-0-2", json("10.0.0.2"), ptrKey("10.0.0.2"), json(name(WEB))),
        Set.of(directory(WEB) + "/10-0-0-1", ptrKey("10.0.0.1"))));
    assertThat(store.memory.contents()).containsOnlyKeys(directory(WEB) + "/10-0-0-2", ptrKey("10.0.0.2"));
  }

  @Test
  void deletedServiceLosesEveryKey() {
    source.clusterIp(WEB, "10.0.0.1", "10.0.0.2");
    reconciler.reconcile(WEB);
    source.remove(WEB);

    Result result = reconciler.reconcile(WEB);

    assertThat(result).isEqualTo(new Result(0, 4));
    assertThat(store.memory.contents()).isEmpty();
    assertThat(reconciler.recordsOwned()).isZero();
  }

  @Test
  void unchangedServiceCausesNoWrite() {
    source.clusterIp(WEB, "10.0.0.1");
    reconciler.reconcile(WEB);

    Result result = reconciler.reconcile(WEB);

    assertThat(result).isEqualTo(Result.UNCHANGED);
    assertThat(store.commits).hasSize(1);
  }

  @Test
  void aServiceWhoseVersionDidNotChangeSinceItsLastReconcileIsNotReadAgain() {
    source.clusterIp(WEB, "10.0.0.1").version(WEB, "7");
    reconciler.reconcile(WEB);
    int reads = store.reads.get();

    assertThat(reconciler.reconcile(WEB)).isEqualTo(Result.UNCHANGED);
    assertThat(store.reads).hasValue(reads);

    source.clusterIp(WEB, "10.0.0.2").version(WEB, "8");
    assertThat(reconciler.reconcile(WEB)).isEqualTo(new Result(2, 2));
  }

  @Test
  void aFullReconcileRecordsVersionsSoTheInformersLateAddEventsCostNothing() {
    source.clusterIp(WEB, "10.0.0.1").version(WEB, "7");
    source.clusterIp(API, "10.0.0.9").version(API, "3");
    reconciler.reconcileAll(Set.of());
    int reads = store.reads.get();

    reconciler.reconcile(WEB);
    reconciler.reconcile(API);

    assertThat(store.reads).hasValue(reads);
  }

  @Test
  void aFailedReconcileForgetsTheVersionSoTheRetryReadsAgain() {
    source.clusterIp(WEB, "10.0.0.1").version(WEB, "7");
    store.failNext(1);
    assertThatThrownBy(() -> reconciler.reconcile(WEB)).isInstanceOf(RecordStoreException.class);

    assertThat(reconciler.reconcile(WEB)).isEqualTo(new Result(2, 0));
  }

  @Test
  void keysUnderTheDirectoryThatAreNotWantedAreDeleted() {
    store.memory.commit(List.of(new Change(Map.of(
        directory(WEB) + "/_tcp/_http/old", json(name(WEB)),
        directory(WEB), json("external.example.com")), Set.of())));
    source.clusterIp(WEB, "10.0.0.1");

    reconciler.reconcile(WEB);

    assertThat(store.memory.contents()).containsOnlyKeys(directory(WEB) + "/10-0-0-1", ptrKey("10.0.0.1"));
  }

  @Test
  void aServiceDoesNotTouchTheKeysOfAServiceWhoseNameExtendsItsOwn() {
    source.clusterIp(WEB2, "10.0.0.2");
    reconciler.reconcile(WEB2);

    reconciler.reconcile(WEB);

    assertThat(store.memory.contents()).containsOnlyKeys(directory(WEB2) + "/10-0-0-2", ptrKey("10.0.0.2"));
  }

  @ParameterizedTest(name = "web first: {0}")
  @ValueSource(booleans = {true, false})
  void ptrConflictIsDecidedByRankNotByOrder(boolean webFirst) {
    String ip = "10.0.0.9";
    source.put(WEB, new Desired(Map.of(), List.of(new PtrClaim(ptrKey(ip), json("pod." + name(WEB)), "1"))));
    source.put(API, new Desired(Map.of(), List.of(new PtrClaim(ptrKey(ip), json(name(API)), "0"))));

    reconciler.reconcile(webFirst ? WEB : API);
    reconciler.reconcile(webFirst ? API : WEB);

    assertThat(store.memory.contents()).containsExactlyEntriesOf(Map.of(ptrKey(ip), json(name(API))));
  }

  @ParameterizedTest(name = "web first: {0}")
  @ValueSource(booleans = {true, false})
  void ptrConflictWithEqualRanksIsDecidedByValue(boolean webFirst) {
    String ip = "10.0.0.9";
    source.put(WEB, new Desired(Map.of(), List.of(new PtrClaim(ptrKey(ip), json("b." + name(WEB)), "1"))));
    source.put(API, new Desired(Map.of(), List.of(new PtrClaim(ptrKey(ip), json("a." + name(API)), "1"))));

    reconciler.reconcile(webFirst ? WEB : API);
    reconciler.reconcile(webFirst ? API : WEB);

    assertThat(store.memory.contents()).containsExactlyEntriesOf(Map.of(ptrKey(ip), json("a." + name(API))));
  }

  @Test
  void whenThePtrWinnerGoesTheNextClaimTakesOver() {
    String ip = "10.0.0.9";
    source.put(WEB, new Desired(Map.of(), List.of(new PtrClaim(ptrKey(ip), json("pod." + name(WEB)), "1"))));
    source.put(API, new Desired(Map.of(), List.of(new PtrClaim(ptrKey(ip), json(name(API)), "0"))));
    reconciler.reconcile(WEB);
    reconciler.reconcile(API);

    source.remove(API);
    reconciler.reconcile(API);
    assertThat(store.memory.contents()).containsExactlyEntriesOf(Map.of(ptrKey(ip), json("pod." + name(WEB))));

    source.remove(WEB);
    reconciler.reconcile(WEB);
    assertThat(store.memory.contents()).isEmpty();
  }

  @Test
  void failedCommitKeepsWhatTheServiceClaimedBefore() {
    source.clusterIp(WEB, "10.0.0.1");
    reconciler.reconcile(WEB);
    source.clusterIp(WEB, "10.0.0.2");
    store.failNext(2);

    assertThatThrownBy(() -> reconciler.reconcile(WEB)).isInstanceOf(RecordStoreException.class);
    assertThatThrownBy(() -> reconciler.reconcile(WEB)).isInstanceOf(RecordStoreException.class);
    reconciler.reconcile(WEB);

    assertThat(store.memory.contents()).containsOnlyKeys(directory(WEB) + "/10-0-0-2", ptrKey("10.0.0.2"));
  }

  @Test
  void fullReconcileRemovesManagedKeysNoServiceOwnsAndKeepsOthers() {
    store.memory.commit(List.of(new Change(Map.of(
        directory(API) + "/10-0-0-7", json("10.0.0.7"),
        ptrKey("10.0.0.7"), json(name(API)),
        directory(WEB) + "/stale", json("10.9.9.9"),
        "/skydns/local/cluster/host/vm1", json("192.168.1.1"),
        "/skydns/config", "{\"ttl\":3600}"), Set.of())));
    source.clusterIp(WEB, "10.0.0.1");

    FullResult result = reconciler.reconcileAll(Set.of());

    assertThat(store.memory.contents()).containsExactlyInAnyOrderEntriesOf(Map.of(
        directory(WEB) + "/10-0-0-1", json("10.0.0.1"),
        ptrKey("10.0.0.1"), json(name(WEB)),
        DNS_VERSION, DNS_VERSION_JSON,
        "/skydns/local/cluster/host/vm1", json("192.168.1.1"),
        "/skydns/config", "{\"ttl\":3600}"));
    assertThat(result.services()).containsExactlyEntriesOf(Map.of(WEB, new Result(2, 1)));
    assertThat(result.puts()).isEqualTo(3);
    assertThat(result.deletes()).isEqualTo(3);
    assertThat(reconciler.recordsOwned()).isEqualTo(3);
  }

  @Test
  void fullReconcileOfAnUpToDateStoreWritesNothing() {
    source.clusterIp(WEB, "10.0.0.1").clusterIp(API, "10.0.0.2");
    reconciler.reconcileAll(Set.of());
    int commits = store.commits.size();

    FullResult result = reconciler.reconcileAll(Set.of());

    assertThat(store.commits).hasSize(commits);
    assertThat(result.puts()).isZero();
    assertThat(result.deletes()).isZero();
    assertThat(result.services()).containsOnlyKeys(WEB, API);
  }

  @Test
  void fullReconcileReportsDeletedServicesItWasAskedAbout() {
    source.clusterIp(WEB, "10.0.0.1");
    reconciler.reconcileAll(Set.of());
    source.remove(WEB);

    FullResult result = reconciler.reconcileAll(Set.of(WEB));

    assertThat(result.services()).containsExactlyEntriesOf(Map.of(WEB, new Result(0, 2)));
    assertThat(store.memory.contents()).containsOnlyKeys(DNS_VERSION);
  }

  @ParameterizedTest(name = "web first: {0}")
  @ValueSource(booleans = {true, false})
  void fullReconcileDecidesPtrConflictsLikeSingleReconciles(boolean webFirst) {
    String ip = "10.0.0.9";
    source.put(WEB, new Desired(Map.of(), List.of(new PtrClaim(ptrKey(ip), json("pod." + name(WEB)), "1"))));
    source.put(API, new Desired(Map.of(), List.of(new PtrClaim(ptrKey(ip), json(name(API)), "0"))));
    reconciler.reconcile(webFirst ? WEB : API);

    reconciler.reconcileAll(Set.of());

    assertThat(store.memory.contents()).containsEntry(ptrKey(ip), json(name(API)));
  }

  /** A reconciler whose full reconciles take two Services per batch and three keys per page. */
  private ServiceReconciler paged() {
    return new ServiceReconciler(source, store, new RevisionTracker(losses::incrementAndGet), 2, 3);
  }

  private static ServiceKey service(String name) {
    return new ServiceKey("default", name);
  }

  @Test
  void pagedFullReconcileRemovesWhatNoServiceOwnsOnEveryPageAndKeepsEverythingElse() {
    Map<String, String> foreign = Map.of(
        "/skydns/config", "{\"ttl\":3600}",
        "/skydns/local/cluster/host/vm1", json("192.168.1.1"),
        "/skydns/local/cluster/host/vm2", json("192.168.1.2"));
    Map<String, String> seeded = new TreeMap<>(foreign);
    // Stale keys of deleted Services and their PTR leaves, sorted before, between and after the
    // live Services' keys, so that they fall on several pages.
    for (String gone : List.of("a0", "b0", "b1", "c0", "zz")) {
      seeded.put(directory(service(gone)) + "/10-9-9-9", json("10.9.9.9"));
    }
    for (int i = 1; i <= 4; i++) {
      seeded.put(ptrKey("10.9.9." + i), json(name(service("gone" + i))));
    }
    store.memory.commit(List.of(new Change(seeded, Set.of())));
    Map<String, String> expected = new TreeMap<>(foreign);
    expected.put(DNS_VERSION, DNS_VERSION_JSON);
    for (String live : List.of("a", "b", "c", "d", "e")) {
      String ip = "10.0.0." + (live.charAt(0) - 'a' + 1);
      source.clusterIp(service(live), ip);
      expected.put(directory(service(live)) + "/" + ip.replace('.', '-'), json(ip));
      expected.put(ptrKey(ip), json(name(service(live))));
    }

    FullResult result = paged().reconcileAll(Set.of());

    assertThat(store.memory.contents()).containsExactlyEntriesOf(expected);
    assertThat(result.services()).hasSize(5).allSatisfy((key, done) -> assertThat(done).isEqualTo(new Result(2, 0)));
    assertThat(result.deletes()).isEqualTo(9);
    assertThat(store.scans.get()).as("pages read").isGreaterThan(5);
  }

  @Test
  void pagedFullReconcileWritesEachServicesPutsAndDeletesInOneChange() {
    Map<String, String> old = new TreeMap<>();
    for (String live : List.of("a", "b", "c", "d", "e")) {
      old.put(directory(service(live)) + "/10-1-1-1", json("10.1.1.1"));
      source.clusterIp(service(live), "10.0.0." + (live.charAt(0) - 'a' + 1));
    }
    store.memory.commit(List.of(new Change(old, Set.of())));

    paged().reconcileAll(Set.of());

    for (String live : List.of("a", "b", "c", "d", "e")) {
      String leaf = directory(service(live)) + "/10-0-0-" + (live.charAt(0) - 'a' + 1);
      assertThat(store.commits.stream().flatMap(List::stream))
          .as("the change that writes %s", leaf)
          .filteredOn(change -> change.puts().containsKey(leaf))
          .singleElement()
          .satisfies(change -> assertThat(change.deletes()).containsExactly(directory(service(live)) + "/10-1-1-1"));
    }
  }

  @Test
  void aServiceThatChangesDuringTheFullReconcileKeepsItsRecordsUntilItIsReconciled() {
    source.clusterIp(WEB, "10.0.0.1");
    ServiceReconciler reconciler = paged();
    reconciler.reconcileAll(Set.of());
    // The Service moves after its batch was written, before the garbage collection reads the tree.
    store.beforeScan = () -> source.clusterIp(WEB, "10.0.0.2");

    reconciler.reconcileAll(Set.of());

    assertThat(store.memory.contents()).containsOnlyKeys(directory(WEB) + "/10-0-0-1", ptrKey("10.0.0.1"), DNS_VERSION);
    store.beforeScan = () -> { };
    assertThat(reconciler.reconcile(WEB)).isEqualTo(new Result(2, 2));
    assertThat(store.commits.get(store.commits.size() - 1)).containsExactly(new Change(
        Map.of(directory(WEB) + "/10-0-0-2", json("10.0.0.2"), ptrKey("10.0.0.2"), json(name(WEB))),
        Set.of(directory(WEB) + "/10-0-0-1", ptrKey("10.0.0.1"))));
  }

  @Test
  void aPtrLeafThatTheWinnerHoldsIsNotWrittenWhileTheLoserComesFirst() {
    String ip = "10.0.0.9";
    // WEB (first batch) loses to API (second batch); etcd already holds API's claim.
    source.put(WEB, new Desired(Map.of(), List.of(new PtrClaim(ptrKey(ip), json("pod." + name(WEB)), "1"))));
    source.put(API, new Desired(Map.of(), List.of(new PtrClaim(ptrKey(ip), json(name(API)), "0"))));
    store.memory.commit(List.of(new Change(Map.of(ptrKey(ip), json(name(API))), Set.of())));

    new ServiceReconciler(source, store, new RevisionTracker(losses::incrementAndGet), 1, 3).reconcileAll(Set.of());

    assertThat(store.commits.stream().flatMap(List::stream))
        .noneMatch(change -> change.puts().containsKey(ptrKey(ip)) || change.deletes().contains(ptrKey(ip)));
    assertThat(store.memory.contents()).containsEntry(ptrKey(ip), json(name(API)));
  }

  @Test
  void aPtrLeafOfADeletedServiceGoesToTheServiceThatClaimsItNow() {
    String ip = "10.0.0.9";
    store.memory.commit(List.of(new Change(Map.of(ptrKey(ip), json(name(WEB2))), Set.of())));
    source.put(API, new Desired(Map.of(), List.of(new PtrClaim(ptrKey(ip), json(name(API)), "0"))));

    paged().reconcileAll(Set.of());

    assertThat(store.memory.contents()).containsEntry(ptrKey(ip), json(name(API)));
  }

  @Test
  void rejectsNonPositiveBatchAndPageSizes() {
    RevisionTracker revisions = new RevisionTracker(() -> { });
    assertThatThrownBy(() -> new ServiceReconciler(source, store, revisions, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceReconciler(source, store, revisions, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void revisionGoingBackwardsIsReportedAsDataLoss() {
    source.clusterIp(WEB, "10.0.0.1");
    source.clusterIp(API, "10.0.0.2");
    reconciler.reconcile(WEB);
    reconciler.reconcile(API);
    store.memory.wipe();

    reconciler.reconcile(WEB);

    assertThat(losses).hasValue(1);
  }
}
