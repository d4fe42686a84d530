package org.clusterdns.kube2sky.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusterdns.kube2sky.sync.FakeSource.DNS_VERSION;
import static org.clusterdns.kube2sky.sync.FakeSource.DNS_VERSION_JSON;
import static org.clusterdns.kube2sky.sync.FakeSource.directory;
import static org.clusterdns.kube2sky.sync.FakeSource.json;
import static org.clusterdns.kube2sky.sync.FakeSource.name;
import static org.clusterdns.kube2sky.sync.FakeSource.ptrKey;

import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.clusterdns.etcd.testing.EtcdExtension;
import org.clusterdns.etcd.testing.EtcdProcess.Mode;
import org.clusterdns.kube2sky.sync.RecordStore.Change;
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The paged full reconcile against a real etcd, with batches, pages and transactions so small that
 * every boundary is crossed many times.
 */
class ServiceReconcilerIT {
  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension(Mode.PLAIN);

  private static final int SERVICES = 40;
  private static final int GONE = 25;

  private final FakeSource source = new FakeSource();
  private Client client;
  private EtcdRecordStore store;

  @BeforeEach
  void connect() {
    client = ETCD.etcd().newClient();
    store = new EtcdRecordStore(client, Duration.ofSeconds(5), 4);
    store.commit(List.of(new Change(Map.of(), Set.copyOf(contents().keySet()))));
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  private Map<String, String> contents() {
    return new TreeMap<>(store.read(List.of("/skydns/")).values());
  }

  private static ServiceKey service(int i) {
    return new ServiceKey("ns-" + i % 3, "svc-" + i);
  }

  private static String ip(int i) {
    return "10.0." + i / 200 + "." + i % 200;
  }

  @Test
  void fullReconcileInBatchesAndPagesLeavesExactlyTheWantedAndTheForeignKeys() {
    Map<String, String> seeded = new TreeMap<>();
    Map<String, String> expected = new TreeMap<>();
    seeded.put("/skydns/config", "{\"ttl\":3600}");
    seeded.put("/skydns/local/cluster/host/vm1", json("192.168.1.1"));
    expected.putAll(seeded);
    expected.put(DNS_VERSION, DNS_VERSION_JSON);
    for (int i = 0; i < SERVICES; i++) {
      source.clusterIp(service(i), ip(i));
      expected.put(directory(service(i)) + "/" + ip(i).replace('.', '-'), json(ip(i)));
      expected.put(ptrKey(ip(i)), json(name(service(i))));
      if (i % 4 == 0) {
        // An old address of a live Service: its own batch deletes it.
        seeded.put(directory(service(i)) + "/10-9-0-" + i, json("10.9.0." + i));
      }
    }
    for (int i = SERVICES; i < SERVICES + GONE; i++) {
      // Services deleted while kube2sky was down: their keys lie between the live ones.
      seeded.put(directory(service(i)) + "/" + ip(i).replace('.', '-'), json(ip(i)));
      seeded.put(ptrKey(ip(i)), json(name(service(i))));
    }
    store.commit(List.of(new Change(seeded, Set.of())));
    ServiceReconciler reconciler =
        new ServiceReconciler(source, store, new RevisionTracker(() -> { }), 7, 5);

    ServiceReconciler.FullResult result = reconciler.reconcileAll(Set.of());

    assertThat(contents()).containsExactlyEntriesOf(expected);
    assertThat(result.services()).hasSize(SERVICES);
    assertThat(result.deletes()).isEqualTo(SERVICES / 4 + 2 * GONE);
    assertThat(reconciler.recordsOwned()).isEqualTo(2L * SERVICES + 1);

    ServiceReconciler.FullResult again = reconciler.reconcileAll(Set.of());

    assertThat(again.puts()).isZero();
    assertThat(again.deletes()).isZero();
    assertThat(contents()).containsExactlyEntriesOf(expected);
  }
}
