package org.clusterdns.skydns.backend;

import org.clusterdns.etcd.EtcdReadException;

import org.clusterdns.etcd.EtcdClients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.clusterdns.records.ServiceRecord;
import org.clusterdns.etcd.EtcdConfig;
import org.clusterdns.etcd.testing.EtcdExtension;
import org.clusterdns.etcd.testing.EtcdProcess;
import org.clusterdns.etcd.testing.EtcdProcess.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link EtcdBackend} against a real etcd: loading, live updates, leases, compaction, etcd
 * crashing and coming back (empty or not), TLS with client certificates, authentication and
 * several endpoints.
 */
class EtcdBackendIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  static final EtcdExtension SHARED = new EtcdExtension(Mode.PLAIN);

  /** Backends, clients and private etcd processes to close after each test, newest first. */
  private final List<AutoCloseable> resources = new ArrayList<>();
  private String prefix;

  @BeforeEach
  void choosePrefix(TestInfo test) {
    // Tests share one etcd; a prefix per test keeps their keys apart.
    prefix = "skydns-" + test.getTestMethod().orElseThrow().getName().toLowerCase();
  }

  @AfterEach
  void closeResources() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  void loadsTheTreeAndFollowsPutsOverwritesAndDeletes() throws Exception {
    Client client = client(SHARED.etcd());
    put(client, key("local/skydns/east/web"), "{\"host\":\"10.0.0.1\"}");
    put(client, key("local/skydns/west/web"), "{\"host\":\"10.0.0.2\"}");
    EtcdBackend backend = startedBackend(client, SHARED.etcd().config(prefix));

    assertThat(hosts(backend, "web.east.skydns.local.")).containsExactly("10.0.0.1");
    assertThat(backend.records("skydns.local.", false).entries()).hasSize(2);
    assertThat(backend.status().entries()).isEqualTo(2);
    assertThat(backend.status().connected()).isTrue();

    put(client, key("local/skydns/north/web"), "{\"host\":\"10.0.0.3\"}");
    await().atMost(WAIT).until(() -> hosts(backend, "web.north.skydns.local.").equals(List.of("10.0.0.3")));

    put(client, key("local/skydns/east/web"), "{\"host\":\"10.0.0.9\"}");
    await().atMost(WAIT).until(() -> hosts(backend, "web.east.skydns.local.").equals(List.of("10.0.0.9")));

    long generation = backend.generation();
    client.getKVClient().delete(bytes(key("local/skydns/west/web"))).get(5, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> !backend.records("web.west.skydns.local.", true).nameExists());
    assertThat(backend.generation()).isGreaterThan(generation);
    assertThat(backend.status().entries()).isEqualTo(2);
    assertThat(backend.status().reloads()).isZero();
    assertThat(backend.status().lastEventMillis()).isPositive();
  }

  @Test
  void neverAnswersNxdomainWhileATransactionReplacesTheOnlyLeaf() throws Exception {
    // kube2sky replaces a changed leaf with DELETE old + PUT new in one transaction; the name
    // exists before and after, so no reader may ever find it empty in between.
    Client client = client(SHARED.etcd());
    put(client, key("local/skydns/svc/web/0"), "{\"host\":\"10.0.0.1\"}");
    EtcdBackend backend = startedBackend(client, SHARED.etcd().config(prefix));
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger missing = new AtomicInteger();
    AtomicInteger reads = new AtomicInteger();
    Thread reader = new Thread(() -> {
      while (writing.get()) {
        if (backend.records("web.svc.skydns.local.", false).entries().isEmpty()) {
          missing.incrementAndGet();
        }
        reads.incrementAndGet();
      }
    }, "reader");
    reader.start();
    int replacements = 300;
    try {
      for (int i = 0; i < replacements; i++) {
        client.getKVClient().txn().Then(
            Op.delete(bytes(key("local/skydns/svc/web/" + i)), DeleteOption.DEFAULT),
            Op.put(bytes(key("local/skydns/svc/web/" + (i + 1))), bytes("{\"host\":\"10.0.0.1\"}"), PutOption.DEFAULT))
            .commit().get(5, TimeUnit.SECONDS);
      }
      await().atMost(WAIT).until(() -> backend.records(replacements + ".web.svc.skydns.local.", true).nameExists());
    } finally {
      writing.set(false);
      reader.join(WAIT.toMillis());
    }
    assertThat(reads.get()).as("reads").isGreaterThan(replacements);
    assertThat(missing.get()).as("reads that found the name missing").isZero();
    assertThat(backend.records("web.svc.skydns.local.", false).entries()).hasSize(1);
  }

  @Test
  void skipsAndCountsMalformedValuesAndIgnoresTheConfigKey() throws Exception {
    Client client = client(SHARED.etcd());
    put(client, key("local/skydns/bad"), "{not json");
    put(client, key("local/skydns/good"), "{\"host\":\"10.0.0.1\"}");
    put(client, "/" + prefix + "/config", "{\"domain\":\"skydns.local.\"}");
    EtcdBackend backend = startedBackend(client, SHARED.etcd().config(prefix));

    assertThat(backend.status().entries()).isEqualTo(1);
    assertThat(backend.status().malformedValues()).isEqualTo(1);
    assertThat(backend.records("bad.skydns.local.", true).nameExists()).isFalse();
    assertThat(backend.records("config.", true).nameExists()).isFalse();

    // A value that becomes malformed removes the old record; one that becomes valid appears.
    put(client, key("local/skydns/good"), "[1,2]");
    await().atMost(WAIT).until(() -> backend.status().malformedValues() == 2);
    assertThat(backend.records("good.skydns.local.", true).nameExists()).isFalse();
    put(client, key("local/skydns/bad"), "{\"host\":\"10.0.0.5\"}");
    await().atMost(WAIT).until(() -> hosts(backend, "bad.skydns.local.").equals(List.of("10.0.0.5")));
    // A changed config object never becomes a record.
    put(client, "/" + prefix + "/config", "{\"host\":\"10.9.9.9\"}");
    put(client, key("local/skydns/marker"), "{\"host\":\"10.0.0.6\"}");
    await().atMost(WAIT).until(() -> backend.records("marker.skydns.local.", true).nameExists());
    assertThat(backend.status().entries()).isEqualTo(2);
  }

  @Test
  void countsAMalformedValueOnceAcrossAReload() throws Exception {
    Client client = client(SHARED.etcd());
    AtomicReference<Watch.Listener> listener = new AtomicReference<>();
    Client capturing = wrappingWatches(client, watching -> {
      listener.set(watching);
      return watching;
    });
    EtcdBackend backend = startedBackend(capturing, SHARED.etcd().config(prefix));
    put(client, key("local/skydns/bad"), "{not json");
    await().atMost(WAIT).until(() -> backend.status().malformedValues() == 1);

    // Ending the watch forces a full reload, which reads the same malformed value again.
    listener.get().onCompleted();
    await().atMost(WAIT).until(() -> backend.status().reloads() == 1);
    assertThat(backend.status().malformedValues()).isEqualTo(1);
  }

  @Test
  void capsTheTtlByTheLeaseAndDropsTheKeyWhenTheLeaseEnds() throws Exception {
    Client client = client(SHARED.etcd());
    EtcdBackend backend = startedBackend(client, SHARED.etcd().config(prefix));
    // Longer than the wait, so the lease cannot run out before the capped TTL is seen; shorter
    // than the TTL of a lease not looked up yet, so only the looked-up lease can cap it this low.
    long leaseSeconds = 20;
    assertThat(leaseSeconds).isGreaterThan(WAIT.toSeconds()).isLessThan(ServiceEntry.UNKNOWN_LEASE_MAX_TTL);
    long lease = client.getLeaseClient().grant(leaseSeconds).get(5, TimeUnit.SECONDS).getID();
    client.getKVClient().put(bytes(key("local/skydns/leased")), bytes("{\"host\":\"10.0.0.7\"}"),
        PutOption.builder().withLeaseId(lease).build()).get(5, TimeUnit.SECONDS);

    await().atMost(WAIT).until(() -> {
      List<ServiceEntry> entries = backend.records("leased.skydns.local.", true).entries();
      return entries.size() == 1 && entries.get(0).effectiveTtl(300, System.currentTimeMillis()) <= leaseSeconds;
    });
    // etcd deletes a revoked lease's keys as it does an expired one's, without waiting for the clock.
    client.getLeaseClient().revoke(lease).get(5, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> !backend.records("leased.skydns.local.", true).nameExists());
  }

  @Test
  void answersAShortTtlUntilTheLeaseIsLookedUp() throws Exception {
    Client client = client(SHARED.etcd());
    CompletableFuture<Void> release = new CompletableFuture<>();
    Lease lease = client.getLeaseClient();
    Lease heldBack = proxy(Lease.class, (proxy, method, arguments) -> method.getName().equals("timeToLive")
        ? release.thenCompose(ignored -> lease.timeToLive((Long) arguments[0], (LeaseOption) arguments[1]))
        : invoke(lease, method, arguments));
    EtcdBackend backend = startedBackend(replacing(client, "getLeaseClient", heldBack), SHARED.etcd().config(prefix));
    long leaseId = lease.grant(600).get(5, TimeUnit.SECONDS).getID();
    client.getKVClient().put(bytes(key("local/skydns/leased")), bytes("{\"host\":\"10.0.0.7\"}"),
        PutOption.builder().withLeaseId(leaseId).build()).get(5, TimeUnit.SECONDS);

    await().atMost(WAIT).until(() -> backend.records("leased.skydns.local.", true).nameExists());
    ServiceEntry unknown = backend.records("leased.skydns.local.", true).entries().get(0);
    assertThat(unknown.effectiveTtl(3600, System.currentTimeMillis())).isEqualTo(ServiceEntry.UNKNOWN_LEASE_MAX_TTL);

    release.complete(null);
    await().atMost(WAIT).until(() -> {
      long ttl = backend.records("leased.skydns.local.", true).entries().get(0)
          .effectiveTtl(3600, System.currentTimeMillis());
      return ttl > ServiceEntry.UNKNOWN_LEASE_MAX_TTL && ttl <= 600;
    });
  }

  @Test
  void reloadsWhenTheWatchStartsBehindACompaction() throws Exception {
    Client client = client(SHARED.etcd());
    put(client, key("local/skydns/before"), "{\"host\":\"10.0.0.1\"}");
    // Hold back the creation of the first watch, so the backend's start revision is compacted
    // away before the watch asks for it.
    CountDownLatch releaseWatch = new CountDownLatch(1);
    EtcdBackend backend = new EtcdBackend(delayingWatches(client, releaseWatch), SHARED.etcd().config(prefix),
        System::currentTimeMillis);
    resources.add(backend);
    backend.start();
    assertThat(backend.awaitSynced(WAIT)).isTrue();

    put(client, key("local/skydns/during"), "{\"host\":\"10.0.0.2\"}");
    long latest = client.getKVClient().put(bytes(key("local/skydns/during2")), bytes("{\"host\":\"10.0.0.3\"}"))
        .get(5, TimeUnit.SECONDS).getHeader().getRevision();
    client.getKVClient().compact(latest).get(5, TimeUnit.SECONDS);
    releaseWatch.countDown();

    await().atMost(WAIT).until(() -> backend.status().reloads() == 1);
    await().atMost(WAIT).until(() -> backend.status().entries() == 3);
    put(client, key("local/skydns/after"), "{\"host\":\"10.0.0.4\"}");
    await().atMost(WAIT).until(() -> hosts(backend, "after.skydns.local.").equals(List.of("10.0.0.4")));
  }

  @Test
  void servesTheLastDataWhileEtcdIsDownAndReloadsWhenItComesBackEmpty() throws Exception {
    EtcdProcess etcd = privateEtcd(Mode.PLAIN);
    Client client = client(etcd);
    for (int i = 0; i < 20; i++) {
      put(client, key("local/skydns/old/" + i), "{\"host\":\"10.0.1." + i + "\"}");
    }
    EtcdBackend backend = startedBackend(client, etcd.config(prefix));
    long revisionBefore = backend.status().revision();
    assertThat(revisionBefore).isGreaterThanOrEqualTo(21);

    etcd.kill();
    await().atMost(WAIT).until(() -> !backend.status().connected());
    assertThat(hosts(backend, "0.old.skydns.local.")).containsExactly("10.0.1.0");
    assertThat(backend.status().entries()).isEqualTo(20);

    etcd.restart(true);
    // The new cluster's revisions (2, 3) are below those the old watch would resume at.
    await().atMost(WAIT).ignoreExceptions()
        .until(() -> put(client, key("local/skydns/new/a"), "{\"host\":\"10.0.2.1\"}") < revisionBefore);
    put(client, key("local/skydns/new/b"), "{\"host\":\"10.0.2.2\"}");

    await().atMost(WAIT).until(() -> backend.status().entries() == 2);
    assertThat(hosts(backend, "a.new.skydns.local.")).containsExactly("10.0.2.1");
    assertThat(hosts(backend, "b.new.skydns.local.")).containsExactly("10.0.2.2");
    assertThat(backend.records("old.skydns.local.", false).nameExists()).isFalse();
    assertThat(backend.status().reloads()).isGreaterThanOrEqualTo(1);
    assertThat(backend.status().connected()).isTrue();
  }

  @Test
  void reloadsWhenEtcdCameBackEmptyAndWasWrittenPastTheOldRevisionBeforeTheProbeLooked() throws Exception {
    // Found end to end: kube2sky restores an emptied etcd within a second, so the new revisions can
    // pass the old ones before the probe runs; the re-created watch then resumed past events
    // nobody delivered. A watch error must lead to a fresh read.
    EtcdProcess etcd = privateEtcd(Mode.PLAIN);
    Client client = client(etcd);
    for (int i = 0; i < 5; i++) {
      put(client, key("local/skydns/old/" + i), "{\"host\":\"10.0.1." + i + "\"}");
    }
    EtcdBackend backend = startedBackend(client, etcd.config(prefix));

    etcd.kill();
    etcd.restart(true);
    await().atMost(WAIT).ignoreExceptions()
        .until(() -> put(client, key("local/skydns/new/0"), "{\"host\":\"10.0.2.0\"}") > 0);
    for (int i = 1; i < 30; i++) {
      put(client, key("local/skydns/new/" + i), "{\"host\":\"10.0.2." + i + "\"}");
    }

    await().atMost(WAIT).until(() -> backend.status().entries() == 30);
    assertThat(hosts(backend, "0.new.skydns.local.")).containsExactly("10.0.2.0");
    assertThat(backend.records("old.skydns.local.", false).nameExists()).isFalse();
  }

  @Test
  void reloadsWhenTheRevisionGoesBackEvenIfTheWatchSaysNothing() throws Exception {
    // The watch reports neither errors nor its end here, as when jetcd silently resumes an old
    // watch on an etcd that came back empty; only the lower revision can show what happened.
    EtcdProcess etcd = privateEtcd(Mode.PLAIN);
    Client client = client(etcd);
    for (int i = 0; i < 20; i++) {
      put(client, key("local/skydns/old/" + i), "{\"host\":\"10.0.1." + i + "\"}");
    }
    EtcdBackend backend = new EtcdBackend(silencingWatchEnds(client), etcd.config(prefix), System::currentTimeMillis);
    resources.add(backend);
    backend.start();
    assertThat(backend.awaitSynced(WAIT)).isTrue();

    etcd.kill();
    etcd.restart(true);
    await().atMost(WAIT).ignoreExceptions()
        .until(() -> put(client, key("local/skydns/new/a"), "{\"host\":\"10.0.2.1\"}") < 20);

    await().atMost(WAIT).until(() -> backend.status().entries() == 1);
    assertThat(hosts(backend, "a.new.skydns.local.")).containsExactly("10.0.2.1");
    assertThat(backend.status().reloads()).isEqualTo(1);
    put(client, key("local/skydns/new/b"), "{\"host\":\"10.0.2.2\"}");
    await().atMost(WAIT).until(() -> hosts(backend, "b.new.skydns.local.").equals(List.of("10.0.2.2")));
  }

  @Test
  void reloadsInsteadOfStallingWhenABackgroundTaskFails() throws Exception {
    Client client = client(SHARED.etcd());
    AtomicInteger watches = new AtomicInteger();
    // The first watch call throws inside the task that handles the first load.
    Client failingOnce = wrappingWatches(client, listener -> {
      if (watches.getAndIncrement() == 0) {
        throw new IllegalStateException("injected watch failure");
      }
      return listener;
    });
    EtcdBackend backend = startedBackend(failingOnce, SHARED.etcd().config(prefix));

    put(client, key("local/skydns/after"), "{\"host\":\"10.0.0.1\"}");
    await().atMost(WAIT).until(() -> hosts(backend, "after.skydns.local.").equals(List.of("10.0.0.1")));
    assertThat(backend.status().reloads()).isEqualTo(1);
    assertThat(watches.get()).isEqualTo(2);
  }

  @Test
  void keepsProbingAfterAProbeFails() throws Exception {
    Client client = client(SHARED.etcd());
    AtomicInteger probes = new AtomicInteger();
    KV kv = client.getKVClient();
    KV failingFirstProbe = proxy(KV.class, (proxy, method, arguments) -> {
      if (method.getName().equals("get") && arguments.length == 2 && arguments[1] instanceof GetOption option
          && option.isKeysOnly() && !option.isPrefix() && probes.getAndIncrement() == 0) {
        throw new IllegalStateException("injected probe failure");
      }
      return invoke(kv, method, arguments);
    });
    startedBackend(replacing(client, "getKVClient", failingFirstProbe), SHARED.etcd().config(prefix));

    await().atMost(WAIT).until(() -> probes.get() >= 3);
  }

  @Test
  void doesNotReloadWhenALaggingMemberAnswersTheWatchBelowTheLoad() throws Exception {
    // With several endpoints the load may be answered by one member and the watch by another
    // that is a revision behind; that is not etcd losing its data.
    Client client = client(SHARED.etcd());
    put(client, key("local/skydns/before"), "{\"host\":\"10.0.0.1\"}");
    AtomicInteger createdNotifications = new AtomicInteger();
    Client lagging = wrappingWatches(client, listener -> Watch.listener(response -> {
      if (response.isCreatedNotify()) {
        createdNotifications.incrementAndGet();
        listener.onNext(createdAt(response.getHeader().getRevision() - 1));
      } else {
        listener.onNext(response);
      }
    }, listener::onError, listener::onCompleted));
    EtcdBackend backend = startedBackend(lagging, SHARED.etcd().config(prefix));

    await().atMost(WAIT).until(() -> createdNotifications.get() == 1);
    put(client, key("local/skydns/after"), "{\"host\":\"10.0.0.2\"}");
    await().atMost(WAIT).until(() -> hosts(backend, "after.skydns.local.").equals(List.of("10.0.0.2")));
    put(client, key("local/skydns/later"), "{\"host\":\"10.0.0.3\"}");
    await().atMost(WAIT).until(() -> hosts(backend, "later.skydns.local.").equals(List.of("10.0.0.3")));
    assertThat(backend.status().reloads()).isZero();
    assertThat(createdNotifications.get()).isEqualTo(1);
  }

  @Test
  void startsWithoutEtcdAndLoadsOnceEtcdAnswers() throws Exception {
    EtcdProcess etcd = privateEtcd(Mode.PLAIN);
    Client client = client(etcd);
    put(client, key("local/skydns/late"), "{\"host\":\"10.0.0.1\"}");
    etcd.stop();

    EtcdBackend backend = track(new EtcdBackend(client, etcd.config(prefix), System::currentTimeMillis));
    backend.start();
    await().atMost(WAIT).until(() -> !backend.status().connected());
    assertThat(backend.isSynced()).isFalse();
    assertThat(backend.records("late.skydns.local.", true).nameExists()).isFalse();

    etcd.restart(false);
    assertThat(backend.awaitSynced(WAIT)).isTrue();
    assertThat(hosts(backend, "late.skydns.local.")).containsExactly("10.0.0.1");
    assertThat(backend.status().connected()).isTrue();
    assertThat(backend.status().reloads()).isZero();
  }

  @Test
  void keepsWorkingAfterEtcdRestartsWithItsData() throws Exception {
    EtcdProcess etcd = privateEtcd(Mode.PLAIN);
    Client client = client(etcd);
    put(client, key("local/skydns/kept"), "{\"host\":\"10.0.0.1\"}");
    EtcdBackend backend = startedBackend(client, etcd.config(prefix));

    etcd.restart(false);
    await().atMost(WAIT).ignoreExceptions()
        .until(() -> put(client, key("local/skydns/added"), "{\"host\":\"10.0.0.2\"}") > 0);

    await().atMost(WAIT).until(() -> hosts(backend, "added.skydns.local.").equals(List.of("10.0.0.2")));
    assertThat(hosts(backend, "kept.skydns.local.")).containsExactly("10.0.0.1");
    await().atMost(WAIT).until(() -> backend.status().connected());
  }

  @Test
  void loadsOverTlsWithAClientCertificateAndRefusesClientsWithout() throws Exception {
    EtcdProcess etcd = privateEtcd(Mode.TLS);
    Client client = client(etcd);
    put(client, key("local/skydns/secure"), "{\"host\":\"10.0.0.1\"}");
    EtcdBackend backend = startedBackend(client, etcd.config(prefix));
    assertThat(hosts(backend, "secure.skydns.local.")).containsExactly("10.0.0.1");

    EtcdConfig full = etcd.config(prefix);
    EtcdConfig withoutCertificate = new EtcdConfig(full.endpoints(), prefix, full.caCert(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(2));
    Client anonymous = track(EtcdClients.create(withoutCertificate));
    assertThatThrownBy(() -> EtcdClients.readKey(anonymous, key("local/skydns/secure"), Duration.ofSeconds(2)))
        .isInstanceOf(EtcdReadException.class)
        .hasMessageContaining(key("local/skydns/secure"));
  }

  @Test
  void authenticatesWithTheRightPasswordAndFailsClearlyWithAWrongOne() throws Exception {
    EtcdProcess etcd = privateEtcd(Mode.AUTH);
    Client client = client(etcd);
    put(client, key("local/skydns/private"), "{\"host\":\"10.0.0.1\"}");
    EtcdBackend backend = startedBackend(client, etcd.config(prefix));
    assertThat(hosts(backend, "private.skydns.local.")).containsExactly("10.0.0.1");

    EtcdConfig right = etcd.config(prefix);
    EtcdConfig wrong = new EtcdConfig(right.endpoints(), prefix, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of("root"), Optional.of("not-the-password"), Duration.ofSeconds(2));
    Client intruder = track(EtcdClients.create(wrong));
    assertThatThrownBy(() -> EtcdClients.readKey(intruder, "/" + prefix + "/config", Duration.ofSeconds(2)))
        .isInstanceOf(EtcdReadException.class)
        .hasMessageContaining("authentication failed");

    EtcdBackend refused = new EtcdBackend(intruder, wrong, System::currentTimeMillis);
    resources.add(refused);
    refused.start();
    assertThat(refused.awaitSynced(Duration.ofSeconds(1))).isFalse();
    assertThat(refused.isSynced()).isFalse();
    assertThat(refused.status().connected()).isFalse();
  }

  @Test
  void loadsFromTheSecondEndpointWhenTheFirstIsDown() throws Exception {
    Client writer = client(SHARED.etcd());
    put(writer, key("local/skydns/reachable"), "{\"host\":\"10.0.0.1\"}");
    URI closed = URI.create("http://127.0.0.1:" + EtcdProcess.freePort());
    EtcdConfig config = new EtcdConfig(List.of(closed, SHARED.etcd().endpoint()), prefix, Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(2));
    EtcdBackend backend = startedBackend(track(EtcdClients.create(config)), config);
    assertThat(hosts(backend, "reachable.skydns.local.")).containsExactly("10.0.0.1");
  }

  @Test
  void readKeyReturnsTheValueOrEmpty() throws Exception {
    Client client = client(SHARED.etcd());
    put(client, "/" + prefix + "/config", "{\"ttl\":60}");
    assertThat(EtcdClients.readKey(client, "/" + prefix + "/config", WAIT))
        .hasValueSatisfying(value -> assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo("{\"ttl\":60}"));
    assertThat(EtcdClients.readKey(client, "/" + prefix + "/missing", WAIT)).isEmpty();
  }

  @Test
  void readKeyTimesOutClearlyWhenEtcdIsDown() {
    EtcdConfig config = EtcdConfig.plain(List.of(URI.create("http://127.0.0.1:" + EtcdProcess.freePort())), prefix);
    Client client = track(EtcdClients.create(config));
    assertThatThrownBy(() -> EtcdClients.readKey(client, "/" + prefix + "/config", Duration.ofMillis(500)))
        .isInstanceOf(EtcdReadException.class)
        .hasMessageContaining("/" + prefix + "/config")
        .hasMessageContaining("500 ms");
  }

  // ---- helpers ----

  private String key(String path) {
    return "/" + prefix + "/" + path;
  }

  private EtcdProcess privateEtcd(Mode mode) {
    return track(EtcdProcess.start(mode));
  }

  private Client client(EtcdProcess etcd) {
    return track(etcd.newClient());
  }

  private EtcdBackend startedBackend(Client client, EtcdConfig config) throws InterruptedException {
    EtcdBackend backend = track(new EtcdBackend(client, config, System::currentTimeMillis));
    backend.start();
    assertThat(backend.awaitSynced(WAIT)).as("first load").isTrue();
    assertThat(backend.isSynced()).isTrue();
    return backend;
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  /** Writes a value and returns the revision etcd gave it. */
  private static long put(Client client, String key, String value) throws Exception {
    return client.getKVClient().put(bytes(key), bytes(value)).get(5, TimeUnit.SECONDS).getHeader().getRevision();
  }

  private static List<String> hosts(Backend backend, String name) {
    return backend.records(name, true).entries().stream().map(ServiceEntry::record).map(ServiceRecord::host).toList();
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }

  /**
   * Returns a client whose first {@code watch} call waits for {@code release}; everything else
   * goes straight to {@code client}.
   */
  private static Client delayingWatches(Client client, CountDownLatch release) {
    AtomicInteger watches = new AtomicInteger();
    Watch watch = client.getWatchClient();
    Watch delaying = proxy(Watch.class, (proxy, method, arguments) -> {
      if (method.getName().equals("watch") && arguments.length == 3 && watches.getAndIncrement() == 0) {
        assertThat(release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      }
      return invoke(watch, method, arguments);
    });
    return replacing(client, "getWatchClient", delaying);
  }

  /** Returns a client whose watches pass on responses but never errors or their end. */
  private static Client silencingWatchEnds(Client client) {
    return wrappingWatches(client, listener -> Watch.listener(listener::onNext, error -> { }, () -> { }));
  }

  /** Returns a client that hands the listener of every watch to {@code wrap} and watches with what it returns. */
  private static Client wrappingWatches(Client client, UnaryOperator<Watch.Listener> wrap) {
    Watch watch = client.getWatchClient();
    Watch wrapping = proxy(Watch.class, (proxy, method, arguments) -> {
      if (method.getName().equals("watch") && arguments.length == 3 && arguments[2] instanceof Watch.Listener listener) {
        return watch.watch((ByteSequence) arguments[0], (WatchOption) arguments[1], wrap.apply(listener));
      }
      return invoke(watch, method, arguments);
    });
    return replacing(client, "getWatchClient", wrapping);
  }

  /** Returns a client whose {@code getter} returns {@code replacement}; everything else goes to {@code client}. */
  private static Client replacing(Client client, String getter, Object replacement) {
    return proxy(Client.class, (proxy, method, arguments) ->
        method.getName().equals(getter) ? replacement : invoke(client, method, arguments));
  }

  /** Returns a watch created notification at {@code revision}. */
  private static WatchResponse createdAt(long revision) {
    return new WatchResponse(io.etcd.jetcd.api.WatchResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setRevision(revision))
        .setCreated(true)
        .build());
  }

  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static Object invoke(Object target, Method method, Object[] arguments) throws Throwable {
    try {
      return method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
