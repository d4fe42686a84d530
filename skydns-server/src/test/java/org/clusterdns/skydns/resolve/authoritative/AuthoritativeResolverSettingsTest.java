package org.clusterdns.skydns.resolve.authoritative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusterdns.skydns.resolve.authoritative.Fixtures.NOW;
import static org.clusterdns.skydns.resolve.authoritative.Fixtures.SOA;
import static org.clusterdns.skydns.testing.DnsAssertions.assertMatches;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.clusterdns.records.EtcdPath;
import org.clusterdns.skydns.backend.InMemoryIndex;
import org.clusterdns.skydns.config.AnswerConfig;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Resolver;
import org.clusterdns.skydns.testing.DnsCase;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TTL;
import org.xbill.DNS.Type;

/** Answers that depend on a setting or on the backend's state rather than on the records. */
class AuthoritativeResolverSettingsTest {

  private static Message resolve(AuthoritativeResolver resolver, DnsCase query) {
    return AuthoritativeResolverTest.resolve(resolver, query);
  }

  private static AuthoritativeResolver resolver(AnswerConfig config, InMemoryIndex index, RandomGenerator random) {
    return new AuthoritativeResolver(config, index, () -> NOW, random);
  }

  @Test
  void backendNotSyncedRefusesEveryQuestion() {
    InMemoryIndex index = new InMemoryIndex(new EtcdPath("skydns"));
    AuthoritativeResolver resolver = resolver(Fixtures.config(), index, new SplittableRandom(1));
    for (DnsCase query : List.of(
        DnsCase.of("not synced: in the domain", "skydns.local.", Type.SOA),
        DnsCase.of("not synced: outside the domain", "example.com.", Type.A))) {
      assertMatches(resolve(resolver, query), query.rcode(Rcode.REFUSED).aa(false));
    }
  }

  @Test
  void wildcardsSwitchedOffMakeWildcardNamesNxdomain() {
    AuthoritativeResolver resolver =
        resolver(Fixtures.config().withWildcards(false), Fixtures.index(), new SplittableRandom(1));
    for (String qname : List.of("staging.*.skydns.local.", "staging.any.skydns.local.", "*.east.skydns.local.")) {
      DnsCase query = DnsCase.of("wildcards off: " + qname, qname, Type.A).rcode(Rcode.NXDOMAIN).authority(SOA);
      assertMatches(resolve(resolver, query), query);
    }
    DnsCase plain = DnsCase.of("wildcards off: plain names still answer", "staging.east.skydns.local.", Type.A)
        .answer("staging.east.skydns.local. 3600 IN A 10.0.1.125");
    assertMatches(resolve(resolver, plain), plain);
  }

  @Test
  void withoutLocalConfiguredLocalDnsIsAnOrdinaryName() {
    AuthoritativeResolver resolver = resolver(Fixtures.config(), Fixtures.index(), new SplittableRandom(1));
    DnsCase query = DnsCase.of("no local: local.dns is an ordinary, missing name", "local.dns.skydns.local.", Type.A)
        .rcode(Rcode.NXDOMAIN).authority(SOA);
    assertMatches(resolve(resolver, query), query);
  }

  @Test
  void emptyTreeStillHasAnApex() {
    InMemoryIndex index = new InMemoryIndex(new EtcdPath("skydns"));
    index.markSynced();
    AuthoritativeResolver resolver = resolver(Fixtures.config(), index, new SplittableRandom(1));
    for (DnsCase query : List.of(
        DnsCase.of("empty tree: apex SOA", "skydns.local.", Type.SOA).answer(SOA.replace(" 60 IN", " 3600 IN")),
        DnsCase.of("empty tree: apex NS without dns/ns entries is NODATA", "skydns.local.", Type.NS).authority(SOA),
        DnsCase.of("empty tree: apex A is NODATA", "skydns.local.", Type.A).authority(SOA),
        DnsCase.of("empty tree: other names are NXDOMAIN", "a.skydns.local.", Type.A)
            .rcode(Rcode.NXDOMAIN).authority(SOA))) {
      assertMatches(resolve(resolver, query), query);
    }
  }

  @Test
  void roundRobinOffKeepsKeyOrder() {
    AuthoritativeResolver resolver = resolver(Fixtures.config(), Fixtures.index(), new SplittableRandom(1));
    assertThat(addresses(resolver)).containsExactly("10.5.0.1", "10.5.0.2", "10.5.0.3", "10.5.0.4", "10.5.0.5");
  }

  @Test
  void roundRobinShufflesWithTheGivenRandom() {
    // A generator that always draws 0 turns the shuffle into a fixed rotation: 2, 3, 4, 5, 1.
    RandomGenerator zeros = () -> 0L;
    AuthoritativeResolver resolver = resolver(Fixtures.config().withRoundRobin(true), Fixtures.index(), zeros);
    assertThat(addresses(resolver)).containsExactly("10.5.0.2", "10.5.0.3", "10.5.0.4", "10.5.0.5", "10.5.0.1");
  }

  @Test
  void roundRobinPutsEveryAddressFirstSometimes() {
    AuthoritativeResolver resolver =
        resolver(Fixtures.config().withRoundRobin(true), Fixtures.index(), new SplittableRandom(42));
    Set<String> firsts = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      List<String> addresses = addresses(resolver);
      assertThat(addresses).containsExactlyInAnyOrder("10.5.0.1", "10.5.0.2", "10.5.0.3", "10.5.0.4", "10.5.0.5");
      firsts.add(addresses.get(0));
    }
    assertThat(firsts).hasSize(5);
  }

  @Test
  void versionBindGivesTheImplementationVersion() {
    AuthoritativeResolver resolver = resolver(Fixtures.config(), Fixtures.index(), new SplittableRandom(1));
    DnsCase query = DnsCase.of("CHAOS version.bind from the public constructor", "version.bind.", Type.TXT)
        .qclass(DClass.CH).answer("version.bind. 0 CH TXT \"" + ChaosAnswers.implementationVersion() + "\"");
    assertMatches(resolve(resolver, query), query);
    assertThat(ChaosAnswers.implementationVersion()).startsWith("clusterdns");
  }

  @Test
  void outOfDomainQuestionsReachNextUnchanged() {
    AuthoritativeResolver resolver = resolver(Fixtures.config(), Fixtures.index(), new SplittableRandom(1));
    AtomicInteger calls = new AtomicInteger();
    DnsCase query = DnsCase.of("passed on", "www.example.com.", Type.A);
    DnsRequest request = query.request();
    Resolver.Next next = passed -> {
      assertThat(passed).isSameAs(request);
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(Fixtures.servfail(passed));
    };
    resolver.resolve(request, next).toCompletableFuture().join();
    assertThat(calls).hasValue(1);
  }

  @Test
  void replyCopiesIdAndRecursionDesiredAndNeverSetsRecursionAvailable() {
    AuthoritativeResolver resolver = resolver(Fixtures.config(), Fixtures.index(), new SplittableRandom(1));
    DnsRequest request = DnsCase.of("header", "4.rails.staging.east.skydns.local.", Type.A).request();
    Message reply = resolver.resolve(request, Fixtures.servfail()).toCompletableFuture().join();
    assertThat(reply.getHeader().getID()).isEqualTo(request.query().getHeader().getID());
    assertThat(reply.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(reply.getHeader().getFlag(Flags.RA)).isFalse();
    assertThat(reply.getOPT()).isNull();
  }

  @Test
  void ttlsAbove31BitsAreClampedInsteadOfFailingEveryAnswer() {
    // The config accepts up to 2^32-1, dnsjava refuses record TTLs above 2^31-1.
    long huge = 3_000_000_000L;
    AnswerConfig config = Fixtures.config();
    AnswerConfig hugeTtls = new AnswerConfig(config.domain(), config.hostmaster(), huge, huge,
        config.defaultPriority(), Optional.empty(), false, true);
    AuthoritativeResolver resolver = resolver(hugeTtls, Fixtures.index(), new SplittableRandom(1));
    String soa = "skydns.local. IN SOA ns.dns.skydns.local. hostmaster.skydns.local. 1699999200 28800 7200 604800 "
        + huge;
    DnsCase nxdomain = DnsCase.of("huge TTLs: NXDOMAIN", "missing.skydns.local.", Type.A)
        .rcode(Rcode.NXDOMAIN).authority(soa);
    DnsCase apex = DnsCase.of("huge TTLs: apex SOA", "skydns.local.", Type.SOA).answer(soa);
    DnsCase address = DnsCase.of("huge TTLs: A with the default TTL", "default.ttl.skydns.local.", Type.A)
        .answer("default.ttl.skydns.local. IN A 10.4.0.2");
    // An expected line without a TTL matches any, so the clamped TTLs are checked one by one.
    Message negative = resolve(resolver, nxdomain);
    assertMatches(negative, nxdomain);
    assertThat(negative.getSection(Section.AUTHORITY).get(0).getTTL()).isEqualTo(TTL.MAX_VALUE);
    assertThat(((SOARecord) negative.getSection(Section.AUTHORITY).get(0)).getMinimum()).isEqualTo(huge);
    Message apexReply = resolve(resolver, apex);
    assertMatches(apexReply, apex);
    assertThat(apexReply.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(TTL.MAX_VALUE);
    Message addressReply = resolve(resolver, address);
    assertMatches(addressReply, address);
    assertThat(addressReply.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(TTL.MAX_VALUE);
  }

  private static List<String> addresses(AuthoritativeResolver resolver) {
    Message reply = resolve(resolver, DnsCase.of("round robin", "rr.skydns.local.", Type.A));
    return reply.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
  }
}
