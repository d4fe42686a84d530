package org.clusterdns.skydns.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterdns.records.EtcdPath;
import org.clusterdns.records.ServiceRecord;
import org.junit.jupiter.api.Test;

class InMemoryIndexTest {
  private static final String EAST = "/skydns/local/skydns/east";

  private final InMemoryIndex index = new InMemoryIndex(new EtcdPath("skydns"));

  private void put(String key) {
    index.put(ServiceEntry.of(key, ServiceRecord.ofHost("10.0.0.1")));
  }

  private static List<String> keys(Lookup lookup) {
    return lookup.entries().stream().map(ServiceEntry::key).toList();
  }

  private void fillReadmeTree() {
    put(EAST + "/production/rails/1");
    put("/skydns/local/skydns/west/production/rails/2");
    put(EAST + "/staging/rails/4");
    put(EAST + "/staging/rails/6");
    put("/skydns/local/skydns/eastern/x");
  }

  @Test
  void leafNameFindsItsOwnService() {
    fillReadmeTree();
    Lookup lookup = index.records("4.rails.staging.east.skydns.local.", false);
    assertThat(lookup.nameExists()).isTrue();
    assertThat(keys(lookup)).containsExactly(EAST + "/staging/rails/4");
  }

  @Test
  void directoryNameFindsEveryServiceBelowInKeyOrderButNotSiblingsSharingItsPrefix() {
    fillReadmeTree();
    Lookup lookup = index.records("east.skydns.local.", false);
    assertThat(keys(lookup)).containsExactly(
        EAST + "/production/rails/1", EAST + "/staging/rails/4", EAST + "/staging/rails/6");
  }

  @Test
  void lookupIsCaseInsensitive() {
    fillReadmeTree();
    assertThat(keys(index.records("4.Rails.STAGING.east.skydns.local.", false)))
        .containsExactly(EAST + "/staging/rails/4");
  }

  @Test
  void exactLookupOfADirectoryExistsButHoldsNothing() {
    fillReadmeTree();
    Lookup lookup = index.records("east.skydns.local.", true);
    assertThat(lookup.nameExists()).isTrue();
    assertThat(lookup.entries()).isEmpty();
  }

  @Test
  void exactLookupOfALeafWithChildrenHoldsOnlyTheLeaf() {
    put(EAST);
    put(EAST + "/child");
    assertThat(keys(index.records("east.skydns.local.", true))).containsExactly(EAST);
    assertThat(keys(index.records("east.skydns.local.", false))).containsExactly(EAST, EAST + "/child");
  }

  @Test
  void missingNameDoesNotExist() {
    fillReadmeTree();
    assertThat(index.records("north.skydns.local.", false)).isEqualTo(Lookup.NOT_FOUND);
    assertThat(index.records("eas.skydns.local.", false).nameExists()).isFalse();
    assertThat(index.records("north.skydns.local.", true).nameExists()).isFalse();
  }

  @Test
  void wildcardMatchesAnyOneLabelInAnyPosition() {
    fillReadmeTree();
    assertThat(keys(index.records("staging.*.skydns.local.", false)))
        .containsExactly(EAST + "/staging/rails/4", EAST + "/staging/rails/6");
    assertThat(keys(index.records("staging.any.skydns.local.", false)))
        .containsExactly(EAST + "/staging/rails/4", EAST + "/staging/rails/6");
    assertThat(keys(index.records("*.rails.*.*.skydns.local.", false))).containsExactly(
        EAST + "/production/rails/1", EAST + "/staging/rails/4", EAST + "/staging/rails/6",
        "/skydns/local/skydns/west/production/rails/2");
  }

  @Test
  void wildcardDoesNotMatchKeysShallowerThanTheName() {
    fillReadmeTree();
    // eastern/x has only 4 segments; the name asks for 5.
    assertThat(keys(index.records("*.*.*.skydns.local.", false))).containsExactly(
        EAST + "/production/rails/1", EAST + "/staging/rails/4", EAST + "/staging/rails/6",
        "/skydns/local/skydns/west/production/rails/2");
  }

  @Test
  void wildcardMatchingNothingExistsWhenItsPrefixDoes() {
    fillReadmeTree();
    Lookup lookup = index.records("nothing.*.skydns.local.", false);
    assertThat(lookup.nameExists()).isTrue();
    assertThat(lookup.entries()).isEmpty();
    assertThat(index.records("*.north.skydns.local.", false).nameExists()).isFalse();
  }

  @Test
  void exactLookupStillExpandsWildcards() {
    fillReadmeTree();
    assertThat(keys(index.records("4.rails.staging.*.skydns.local.", true)))
        .containsExactly(EAST + "/staging/rails/4");
  }

  @Test
  void reverseRecordIsTheLeafAtTheArpaKey() {
    put("/skydns/arpa/in-addr/10/0/1/125");
    assertThat(index.reverseRecord("125.1.0.10.in-addr.arpa.")).map(ServiceEntry::key)
        .contains("/skydns/arpa/in-addr/10/0/1/125");
  }

  @Test
  void reverseRecordIsEmptyForMissingNamesDirectoriesWildcardsAndPrefixSiblings() {
    put("/skydns/arpa/in-addr/10/0/1/125");
    put("/skydns/arpa/in-addr/10/0/1/12");
    put("/skydns/arpa/in-addr/10/0/1/12/9");
    assertThat(index.reverseRecord("126.1.0.10.in-addr.arpa.")).isEmpty();
    assertThat(index.reverseRecord("1.0.10.in-addr.arpa.")).isEmpty();
    assertThat(index.reverseRecord("*.1.0.10.in-addr.arpa.")).isEmpty();
    assertThat(index.reverseRecord("12.1.0.10.in-addr.arpa.")).isEmpty();
    assertThat(index.reverseRecord("1.1.0.10.in-addr.arpa.")).isEmpty();
  }

  @Test
  void removeDeletesOneKey() {
    fillReadmeTree();
    index.remove(EAST + "/staging/rails/4");
    assertThat(keys(index.records("staging.east.skydns.local.", false))).containsExactly(EAST + "/staging/rails/6");
    assertThat(index.get(EAST + "/staging/rails/4")).isEmpty();
    assertThat(index.size()).isEqualTo(4);
  }

  @Test
  void applyStoresAndRemovesAndChangesTheGenerationOnce() {
    fillReadmeTree();
    long before = index.generation();
    ServiceEntry added = ServiceEntry.of(EAST + "/staging/rails/5", ServiceRecord.ofHost("10.0.0.5"));
    index.apply(Map.of(added.key(), added), List.of(EAST + "/staging/rails/4", EAST + "/staging/rails/6"));
    assertThat(keys(index.records("staging.east.skydns.local.", false))).containsExactly(added.key());
    assertThat(index.generation()).isEqualTo(before + 1);
    index.apply(Map.of(), List.of("/skydns/not/there"));
    assertThat(index.generation()).isEqualTo(before + 1);
  }

  @Test
  void neverAnswersNxdomainWhileABatchReplacesTheOnlyLeaf() throws InterruptedException {
    String name = "web.svc.skydns.local.";
    String leaf = "/skydns/local/skydns/svc/web/";
    put(leaf + 0);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger missing = new AtomicInteger();
    Thread reader = new Thread(() -> {
      while (writing.get()) {
        if (index.records(name, false).entries().isEmpty()) {
          missing.incrementAndGet();
        }
      }
    }, "reader");
    reader.start();
    try {
      for (int i = 0; i < 100_000; i++) {
        ServiceEntry next = ServiceEntry.of(leaf + (i + 1), ServiceRecord.ofHost("10.0.0.1"));
        index.apply(Map.of(next.key(), next), List.of(leaf + i));
      }
    } finally {
      writing.set(false);
      reader.join(10_000);
    }
    assertThat(missing.get()).as("reads that found the name missing").isZero();
    assertThat(keys(index.records(name, false))).containsExactly(leaf + 100_000);
  }

  @Test
  void replaceAllSwapsTheWholeContentAndMarksSynced() {
    fillReadmeTree();
    assertThat(index.isSynced()).isFalse();
    ServiceEntry only = ServiceEntry.of("/skydns/local/skydns/new/x", ServiceRecord.ofHost("10.9.9.9"));
    index.replaceAll(Map.of(only.key(), only));
    assertThat(index.isSynced()).isTrue();
    assertThat(index.size()).isEqualTo(1);
    assertThat(index.records("east.skydns.local.", false).nameExists()).isFalse();
    assertThat(index.get(only.key())).contains(only);
  }

  @Test
  void markSyncedMarksAnIndexFilledEntryByEntry() {
    put(EAST);
    assertThat(index.isSynced()).isFalse();
    index.markSynced();
    assertThat(index.isSynced()).isTrue();
  }

  @Test
  void generationChangesWithEveryChangeButNotWithReadsOrNoOpRemoves() {
    long start = index.generation();
    put(EAST);
    long afterPut = index.generation();
    assertThat(afterPut).isGreaterThan(start);
    index.records("east.skydns.local.", false);
    index.reverseRecord("1.0.0.10.in-addr.arpa.");
    assertThat(index.generation()).isEqualTo(afterPut);
    index.remove("/skydns/not/there");
    assertThat(index.generation()).isEqualTo(afterPut);
    index.remove(EAST);
    long afterRemove = index.generation();
    assertThat(afterRemove).isGreaterThan(afterPut);
    index.replaceAll(Map.of());
    assertThat(index.generation()).isGreaterThan(afterRemove);
  }

  @Test
  void rootNameFindsTheWholeTree() {
    fillReadmeTree();
    put("/skydns/arpa/in-addr/10/0/1/125");
    assertThat(index.records(".", false).entries()).hasSize(6);
  }

  @Test
  void otherPrefixesAreInvisible() {
    InMemoryIndex mydns = new InMemoryIndex(new EtcdPath("mydns"));
    mydns.put(ServiceEntry.of("/mydns/local/skydns/a", ServiceRecord.ofHost("10.0.0.1")));
    mydns.put(ServiceEntry.of("/skydns/local/skydns/a", ServiceRecord.ofHost("10.0.0.2")));
    assertThat(keys(mydns.records("a.skydns.local.", false))).containsExactly("/mydns/local/skydns/a");
  }
}
