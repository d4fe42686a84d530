package org.clusterdns.skydns.resolve.authoritative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusterdns.skydns.resolve.authoritative.Fixtures.NOW;
import static org.clusterdns.skydns.resolve.authoritative.Fixtures.put;
import static org.clusterdns.skydns.testing.DnsAssertions.assertMatches;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.clusterdns.records.EtcdPath;
import org.clusterdns.skydns.backend.Backend;
import org.clusterdns.skydns.backend.InMemoryIndex;
import org.clusterdns.skydns.backend.Lookup;
import org.clusterdns.skydns.backend.ServiceEntry;
import org.clusterdns.skydns.testing.DnsCase;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * CNAME chains through names that many aliases lead to: every alias used to be followed again on
 * every path, so k aliases per level over 9 levels cost k^9 look-ups per query.
 */
class AuthoritativeResolverAliasFanOutTest {
  /**
   * Far above a linear walk even on a loaded machine, far below the 10^9 look-ups of an exponential
   * one; the look-up counts are the precise measure.
   */
  private static final Duration GENEROUS = Duration.ofSeconds(10);
  private static final int FAN_OUT = 10;

  /** Counts the look-ups the resolver makes, the measure of its work. */
  private static final class CountingBackend implements Backend {
    private final Backend backend;
    private final AtomicInteger lookups = new AtomicInteger();

    CountingBackend(Backend backend) {
      this.backend = backend;
    }

    @Override
    public Lookup records(String name, boolean exact) {
      lookups.incrementAndGet();
      return backend.records(name, exact);
    }

    @Override
    public Optional<ServiceEntry> reverseRecord(String name) {
      return backend.reverseRecord(name);
    }

    @Override
    public boolean isSynced() {
      return backend.isSynced();
    }

    @Override
    public long generation() {
      return backend.generation();
    }
  }

  /**
   * Stores levels l0 .. l(levels-1) under fan.skydns.local, each with {@link #FAN_OUT} leaves whose
   * host is the next level (leaf i spelling it {@code spelling.apply(i)}), then {@code last} as the
   * single leaf of l(levels), and an SRV service at srv.skydns.local pointing at l0.
   */
  private static CountingBackend fanOut(int levels, IntFunction<String> spelling, String last) {
    InMemoryIndex index = new InMemoryIndex(new EtcdPath("skydns"));
    for (int level = 0; level < levels; level++) {
      for (int leaf = 0; leaf < FAN_OUT; leaf++) {
        String host = spelling.apply(leaf).formatted(level + 1);
        put(index, "fan/l" + level + "/leaf" + leaf, "{\"host\":\"" + host + "\",\"port\":1}");
      }
    }
    put(index, "fan/l" + levels + "/last", last);
    put(index, "srv/a", "{\"host\":\"l0.fan.skydns.local\",\"port\":1}");
    index.markSynced();
    return new CountingBackend(index);
  }

  private static Message resolve(Backend backend, DnsCase query) {
    AuthoritativeResolver resolver =
        new AuthoritativeResolver(Fixtures.config(), backend, () -> NOW, new SplittableRandom(1));
    return assertTimeoutPreemptively(GENEROUS, () -> AuthoritativeResolverTest.resolve(resolver, query));
  }

  @Test
  void aliasFanOutToADanglingNameIsFollowedOncePerName() {
    // Nine levels of ten aliases each, the last level's aliases pointing at a missing name.
    CountingBackend backend = fanOut(9, leaf -> "l%d.fan.skydns.local",
        "{\"host\":\"missing.fan.skydns.local\"}");
    DnsCase a = DnsCase.of("fan-out to a dangling name: NODATA", "l0.fan.skydns.local.", Type.A)
        .authority(Fixtures.SOA);
    assertMatches(resolve(backend, a), a);
    assertThat(backend.lookups).as("look-ups for one A question").hasValueLessThanOrEqualTo(10);

    backend.lookups.set(0);
    DnsCase srv = DnsCase.of("fan-out behind an SRV target: no additional records", "srv.skydns.local.", Type.SRV)
        .answer("srv.skydns.local. 3600 IN SRV 10 100 1 l0.fan.skydns.local.");
    assertMatches(resolve(backend, srv), srv);
    assertThat(backend.lookups).as("look-ups for one SRV question").hasValueLessThanOrEqualTo(11);
  }

  @Test
  void aliasFanOutToAnAddressGivesTheSameChainOnce() {
    // Eight levels of ten aliases, then an address: a chain of exactly eight CNAMEs.
    CountingBackend backend = fanOut(8, leaf -> "l%d.fan.skydns.local", "{\"host\":\"10.8.0.1\"}");
    List<String> chain = new ArrayList<>();
    for (int level = 0; level < 8; level++) {
      chain.add("l%d.fan.skydns.local. 3600 IN CNAME l%d.fan.skydns.local.".formatted(level, level + 1));
    }
    chain.add("l8.fan.skydns.local. 3600 IN A 10.8.0.1");
    DnsCase a = DnsCase.of("fan-out to an address: the chain", "l0.fan.skydns.local.", Type.A)
        .answer(chain.toArray(String[]::new));
    assertMatches(resolve(backend, a), a);
    assertThat(backend.lookups).as("look-ups for one A question").hasValueLessThanOrEqualTo(9);
  }

  @Test
  void aliasFanOutThatDefeatsTheMemoStopsAtTheLookupBudget() {
    // Each leaf spells the next level in another case: distinct owners, so nothing is reused.
    CountingBackend backend = fanOut(9, AuthoritativeResolverAliasFanOutTest::caseVariant,
        "{\"host\":\"missing.fan.skydns.local\"}");
    DnsCase a = DnsCase.of("case-spelled fan-out: NODATA", "l0.fan.skydns.local.", Type.A)
        .authority(Fixtures.SOA);
    assertMatches(resolve(backend, a), a);
    assertThat(backend.lookups).as("look-ups for one A question")
        .hasValueLessThanOrEqualTo(AddressResolver.MAX_LOOKUPS + 1);
  }

  /** Returns a spelling of {@code l%d.fan.skydns.local} whose upper-case letters are the bits of n. */
  private static String caseVariant(int n) {
    char[] name = "l%d.fan.skydns.local".toCharArray();
    int[] letters = {0, 4, 5, 6, 8};
    for (int bit = 0; bit < letters.length; bit++) {
      if ((n & (1 << bit)) != 0) {
        name[letters[bit]] = Character.toUpperCase(name[letters[bit]]);
      }
    }
    return new String(name);
  }

  @Test
  void aNameTooDeepOnOnePathIsStillFollowedOnAShorterOne() {
    // a -> b -> c -> m1 .. m7 is nine CNAMEs, too long; a -> c -> m1 .. m7 is eight.
    InMemoryIndex index = new InMemoryIndex(new EtcdPath("skydns"));
    put(index, "dag/a/1", "{\"host\":\"b.dag.skydns.local\"}");
    put(index, "dag/a/2", "{\"host\":\"c.dag.skydns.local\"}");
    put(index, "dag/b/1", "{\"host\":\"c.dag.skydns.local\"}");
    put(index, "dag/c/1", "{\"host\":\"m1.dag.skydns.local\"}");
    for (int i = 1; i < 7; i++) {
      put(index, "dag/m" + i + "/1", "{\"host\":\"m" + (i + 1) + ".dag.skydns.local\"}");
    }
    put(index, "dag/m7/1", "{\"host\":\"10.9.0.7\"}");
    index.markSynced();
    List<String> chain = new ArrayList<>();
    chain.add("a.dag.skydns.local. 3600 IN CNAME c.dag.skydns.local.");
    chain.add("c.dag.skydns.local. 3600 IN CNAME m1.dag.skydns.local.");
    for (int i = 1; i < 7; i++) {
      chain.add("m%d.dag.skydns.local. 3600 IN CNAME m%d.dag.skydns.local.".formatted(i, i + 1));
    }
    chain.add("m7.dag.skydns.local. 3600 IN A 10.9.0.7");
    DnsCase a = DnsCase.of("the shorter path to a shared name", "a.dag.skydns.local.", Type.A)
        .answer(chain.toArray(String[]::new));
    assertMatches(resolve(index, a), a);
  }
}
