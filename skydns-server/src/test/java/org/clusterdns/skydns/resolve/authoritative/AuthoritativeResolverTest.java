package org.clusterdns.skydns.resolve.authoritative;

import static org.clusterdns.skydns.resolve.authoritative.Fixtures.EXACT_TEXT;
import static org.clusterdns.skydns.resolve.authoritative.Fixtures.LONG_TEXT;
import static org.clusterdns.skydns.resolve.authoritative.Fixtures.NOW;
import static org.clusterdns.skydns.resolve.authoritative.Fixtures.SOA;
import static org.clusterdns.skydns.testing.DnsAssertions.assertMatches;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.clusterdns.skydns.testing.DnsCase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Every answer rule of spec sections 1-10 and 17, one named case each, answered from the SkyDNS
 * README's example records and a subtree of records per rule ({@link Fixtures}).
 */
class AuthoritativeResolverTest {
  private static final AuthoritativeResolver RESOLVER = new AuthoritativeResolver(
      Fixtures.config().withLocal("public.addresses.skydns.local."), Fixtures.index(), () -> NOW,
      new SplittableRandom(1), new ChaosAnswers("clusterdns test", "test-host"));

  @ParameterizedTest(name = "{0}")
  @MethodSource({"readme", "wildcards", "addresses", "cnames", "txt", "mx", "srv", "underscore",
      "groups", "apex", "negative", "ttl", "refusedAndPassedOn", "reverse", "chaos"})
  void answers(DnsCase expected) {
    assertMatches(resolve(RESOLVER, expected), expected);
  }

  static Message resolve(AuthoritativeResolver resolver, DnsCase query) {
    return resolver.resolve(query.request(), Fixtures.servfail()).toCompletableFuture().join();
  }

  static Stream<DnsCase> readme() {
    return Stream.of(
        DnsCase.of("README: SRV of a service with a name host", "1.rails.production.east.skydns.local.", Type.SRV)
            .answer("1.rails.production.east.skydns.local. 3600 IN SRV 10 100 8080 service1.example.com."),
        DnsCase.of("README: SRV of a subdomain aggregates every service below it, 33 each", "east.skydns.local.", Type.SRV)
            .answer("east.skydns.local. 3600 IN SRV 10 33 8080 service1.example.com.",
                "east.skydns.local. 3600 IN SRV 10 33 8080 4.rails.staging.east.skydns.local.",
                "east.skydns.local. 3600 IN SRV 10 33 8080 6.rails.staging.east.skydns.local.")
            .additional("4.rails.staging.east.skydns.local. 3600 IN A 10.0.1.125",
                "6.rails.staging.east.skydns.local. 3600 IN AAAA 2003::8:1"),
        DnsCase.of("README: SRV of staging.east splits the weight 50/50", "staging.east.skydns.local.", Type.SRV)
            .answer("staging.east.skydns.local. 3600 IN SRV 10 50 8080 4.rails.staging.east.skydns.local.",
                "staging.east.skydns.local. 3600 IN SRV 10 50 8080 6.rails.staging.east.skydns.local.")
            .additional("4.rails.staging.east.skydns.local. 3600 IN A 10.0.1.125",
                "6.rails.staging.east.skydns.local. 3600 IN AAAA 2003::8:1"),
        DnsCase.of("README: SRV of an IP service targets the name made from its key", "4.rails.staging.east.skydns.local.", Type.SRV)
            .answer("4.rails.staging.east.skydns.local. 3600 IN SRV 10 100 8080 4.rails.staging.east.skydns.local.")
            .additional("4.rails.staging.east.skydns.local. 3600 IN A 10.0.1.125"),
        DnsCase.of("README: A of an IPv4 service", "4.rails.staging.east.skydns.local.", Type.A)
            .answer("4.rails.staging.east.skydns.local. 3600 IN A 10.0.1.125"),
        DnsCase.of("README: AAAA of an IPv6 service", "6.rails.staging.east.skydns.local.", Type.AAAA)
            .answer("6.rails.staging.east.skydns.local. 3600 IN AAAA 2003::8:1"),
        DnsCase.of("README: A of a subdomain lists the addresses below it", "staging.east.skydns.local.", Type.A)
            .answer("staging.east.skydns.local. 3600 IN A 10.0.1.125"));
  }

  static Stream<DnsCase> wildcards() {
    return Stream.of(
        DnsCase.of("wildcard * in the middle of the name", "staging.*.skydns.local.", Type.A)
            .answer("staging.*.skydns.local. 3600 IN A 10.0.1.125"),
        DnsCase.of("wildcard any in the middle of the name", "staging.any.skydns.local.", Type.AAAA)
            .answer("staging.any.skydns.local. 3600 IN AAAA 2003::8:1"),
        DnsCase.of("wildcard * as the first label", "*.east.skydns.local.", Type.SRV)
            .answer("*.east.skydns.local. 3600 IN SRV 10 33 8080 service1.example.com.",
                "*.east.skydns.local. 3600 IN SRV 10 33 8080 4.rails.staging.east.skydns.local.",
                "*.east.skydns.local. 3600 IN SRV 10 33 8080 6.rails.staging.east.skydns.local.")
            .additional("4.rails.staging.east.skydns.local. 3600 IN A 10.0.1.125",
                "6.rails.staging.east.skydns.local. 3600 IN AAAA 2003::8:1"),
        DnsCase.of("several wildcards at once", "rails.*.ANY.skydns.local.", Type.SRV)
            .answer("rails.*.ANY.skydns.local. 3600 IN SRV 10 25 8080 service1.example.com.",
                "rails.*.ANY.skydns.local. 3600 IN SRV 10 25 8080 service2.example.com.",
                "rails.*.ANY.skydns.local. 3600 IN SRV 10 25 8080 4.rails.staging.east.skydns.local.",
                "rails.*.ANY.skydns.local. 3600 IN SRV 10 25 8080 6.rails.staging.east.skydns.local.")
            .additional("4.rails.staging.east.skydns.local. 3600 IN A 10.0.1.125",
                "6.rails.staging.east.skydns.local. 3600 IN AAAA 2003::8:1"),
        DnsCase.of("wildcard matching nothing below an existing prefix is NODATA", "nothing.*.skydns.local.", Type.A)
            .authority(SOA),
        DnsCase.of("wildcard below a missing prefix is NXDOMAIN", "*.nonexistent.skydns.local.", Type.A)
            .rcode(Rcode.NXDOMAIN).authority(SOA));
  }

  static Stream<DnsCase> addresses() {
    return Stream.of(
        DnsCase.of("owners keep the question's case", "4.Rails.STAGING.east.skydns.local.", Type.A)
            .answer("4.Rails.STAGING.east.skydns.local. 3600 IN A 10.0.1.125"),
        DnsCase.of("addresses beat aliases at one owner: no CNAME beside A", "east.skydns.local.", Type.A)
            .answer("east.skydns.local. 3600 IN A 10.0.1.125"),
        DnsCase.of("A of an IPv6-only service is NODATA", "6.rails.staging.east.skydns.local.", Type.A)
            .authority(SOA),
        DnsCase.of("identical addresses collapse into one record", "dupaddr.skydns.local.", Type.A)
            .answer("dupaddr.skydns.local. 3600 IN A 10.6.0.1"),
        DnsCase.of("host-local: local.dns answers the local name, owner kept", "local.dns.skydns.local.", Type.A)
            .answer("local.dns.skydns.local. 3600 IN A 192.0.2.1"),
        DnsCase.of("host-local keeps the question's case", "LOCAL.dns.skydns.local.", Type.A)
            .answer("LOCAL.dns.skydns.local. 3600 IN A 192.0.2.1"),
        DnsCase.of("empty host is no address (no CNAME to the root)", "empty.skydns.local.", Type.A)
            .authority(SOA),
        DnsCase.of("hosts that are not valid names are skipped", "bad.skydns.local.", Type.A)
            .authority(SOA));
  }

  static Stream<DnsCase> cnames() {
    return Stream.of(
        DnsCase.of("CNAME chain of 8 is followed to the address", "l1.long.skydns.local.", Type.A)
            .answer("l1.long.skydns.local. 3600 IN CNAME l2.long.skydns.local.",
                "l2.long.skydns.local. 3600 IN CNAME l3.long.skydns.local.",
                "l3.long.skydns.local. 3600 IN CNAME l4.long.skydns.local.",
                "l4.long.skydns.local. 3600 IN CNAME l5.long.skydns.local.",
                "l5.long.skydns.local. 3600 IN CNAME l6.long.skydns.local.",
                "l6.long.skydns.local. 3600 IN CNAME l7.long.skydns.local.",
                "l7.long.skydns.local. 3600 IN CNAME l8.long.skydns.local.",
                "l8.long.skydns.local. 3600 IN CNAME l9.long.skydns.local.",
                "l9.long.skydns.local. 3600 IN A 10.1.0.9"),
        DnsCase.of("CNAME chain of 9 is dropped: NODATA", "l0.long.skydns.local.", Type.A).authority(SOA),
        DnsCase.of("CNAME loop is dropped: NODATA", "a.loop.skydns.local.", Type.A).authority(SOA),
        DnsCase.of("CNAME to itself is dropped: NODATA", "self.loop.skydns.local.", Type.A).authority(SOA),
        DnsCase.of("dangling in-domain CNAME is dropped: NODATA", "x.dangling.skydns.local.", Type.A)
            .authority(SOA),
        DnsCase.of("CNAME to an external name is answered alone", "www.external.skydns.local.", Type.A)
            .answer("www.external.skydns.local. 3600 IN CNAME www.example.org."),
        DnsCase.of("CNAME target keeps its stored case as the next owner", "X.Case.SkyDNS.local.", Type.A)
            .answer("X.Case.SkyDNS.local. 3600 IN CNAME Target.Case.skydns.local.",
                "Target.Case.skydns.local. 3600 IN A 10.2.0.1"),
        DnsCase.of("CNAME and its target keep their own TTLs", "x.ttlchain.skydns.local.", Type.A)
            .answer("x.ttlchain.skydns.local. 300 IN CNAME y.ttlchain.skydns.local.",
                "y.ttlchain.skydns.local. 30 IN A 10.4.2.1"),
        DnsCase.of("CNAME question is answered without chasing", "l0.long.skydns.local.", Type.CNAME)
            .answer("l0.long.skydns.local. 3600 IN CNAME l1.long.skydns.local."),
        DnsCase.of("CNAME question for an IP service is NODATA", "4.rails.staging.east.skydns.local.", Type.CNAME)
            .authority(SOA),
        DnsCase.of("CNAME question for a directory is NODATA", "east.skydns.local.", Type.CNAME)
            .authority(SOA));
  }

  static Stream<DnsCase> txt() {
    return Stream.of(
        DnsCase.of("TXT of a service with text", "short.txt.skydns.local.", Type.TXT)
            .answer("short.txt.skydns.local. 3600 IN TXT \"hello world\""),
        DnsCase.of("TXT over 255 bytes is split into 255-byte strings", "long.txt.skydns.local.", Type.TXT)
            .answer("long.txt.skydns.local. 3600 IN TXT \"" + LONG_TEXT.substring(0, 255) + "\" \""
                + LONG_TEXT.substring(255) + "\""),
        DnsCase.of("TXT of exactly 510 bytes has no empty third string", "exact.txt.skydns.local.", Type.TXT)
            .answer("exact.txt.skydns.local. 3600 IN TXT \"" + EXACT_TEXT.substring(0, 255) + "\" \""
                + EXACT_TEXT.substring(255) + "\""),
        DnsCase.of("TXT keeps quotes and backslashes byte for byte", "quote.txt.skydns.local.", Type.TXT)
            .answer("quote.txt.skydns.local. 3600 IN TXT \"say \\\"hi\\\" \\\\o/\""),
        DnsCase.of("TXT too long for one record is left out", "hugetxt.skydns.local.", Type.TXT)
            .authority(SOA),
        DnsCase.of("TXT of a service without text is NODATA", "4.rails.staging.east.skydns.local.", Type.TXT)
            .authority(SOA),
        DnsCase.of("TXT of a service with an empty host", "empty.skydns.local.", Type.TXT)
            .answer("empty.skydns.local. 3600 IN TXT \"just text\""));
  }

  static Stream<DnsCase> mx() {
    return Stream.of(
        DnsCase.of("MX of mail services with glue and in-domain exchange addresses", "mail.skydns.local.", Type.MX)
            .answer("mail.skydns.local. 3600 IN MX 5 mx1.example.com.",
                "mail.skydns.local. 3600 IN MX 10 mx2.mail.skydns.local.",
                "mail.skydns.local. 3600 IN MX 20 mailhost.internal.skydns.local.")
            .additional("mx2.mail.skydns.local. 3600 IN A 10.0.3.1",
                "mailhost.internal.skydns.local. 3600 IN A 10.0.3.3"),
        DnsCase.of("MX TargetStrip on an IP host: glue under the stripped name", "mailstrip.skydns.local.", Type.MX)
            .answer("mailstrip.skydns.local. 3600 IN MX 10 x.mailstrip.skydns.local.")
            .additional("x.mailstrip.skydns.local. 3600 IN A 10.0.3.4"),
        DnsCase.of("MX of a name without mail services is NODATA", "4.rails.staging.east.skydns.local.", Type.MX)
            .authority(SOA));
  }

  static Stream<DnsCase> srv() {
    return Stream.of(
        DnsCase.of("SRV weights 120/100/130 give 34/28/37", "weights.skydns.local.", Type.SRV)
            .answer("weights.skydns.local. 3600 IN SRV 10 34 80 a.example.com.",
                "weights.skydns.local. 3600 IN SRV 10 28 80 b.example.com.",
                "weights.skydns.local. 3600 IN SRV 10 37 80 c.example.com."),
        DnsCase.of("SRV weights 130/80/150 give 36/22/41", "weights2.skydns.local.", Type.SRV)
            .answer("weights2.skydns.local. 3600 IN SRV 10 36 80 a.example.com.",
                "weights2.skydns.local. 3600 IN SRV 10 22 80 b.example.com.",
                "weights2.skydns.local. 3600 IN SRV 10 41 80 c.example.com."),
        DnsCase.of("SRV weights are shares within each priority", "prio.skydns.local.", Type.SRV)
            .answer("prio.skydns.local. 3600 IN SRV 5 9 0 x.example.com.",
                "prio.skydns.local. 3600 IN SRV 5 90 0 y.example.com.",
                "prio.skydns.local. 3600 IN SRV 10 0 0 z.example.com.",
                "prio.skydns.local. 3600 IN SRV 10 99 0 w.example.com."),
        DnsCase.of("SRV duplicates collapse before weights are computed", "dup.skydns.local.", Type.SRV)
            .answer("dup.skydns.local. 3600 IN SRV 10 50 80 dup.example.com.",
                "dup.skydns.local. 3600 IN SRV 10 50 80 other.example.com."),
        DnsCase.of("SRV priority and port wrap to 16 bits", "wrap.skydns.local.", Type.SRV)
            .answer("wrap.skydns.local. 3600 IN SRV 1 100 4464 w.example.com."),
        DnsCase.of("TargetStrip on IP hosts: one target, glue of both families", "strip.skydns.local.", Type.SRV)
            .answer("strip.skydns.local. 3600 IN SRV 10 100 8080 strip.skydns.local.")
            .additional("strip.skydns.local. 3600 IN A 10.0.1.125", "strip.skydns.local. 3600 IN AAAA 2003::8:1"),
        DnsCase.of("TargetStrip of every label leaves the name whole", "strip2.skydns.local.", Type.SRV)
            .answer("strip2.skydns.local. 3600 IN SRV 10 100 0 x.strip2.skydns.local.")
            .additional("x.strip2.skydns.local. 3600 IN A 10.9.9.9"),
        DnsCase.of("TargetStrip on a name host", "strip3.skydns.local.", Type.SRV)
            .answer("strip3.skydns.local. 3600 IN SRV 10 100 1 b.example.com."),
        DnsCase.of("SRV to an in-domain target adds its A and AAAA once", "srvint.skydns.local.", Type.SRV)
            .answer("srvint.skydns.local. 3600 IN SRV 10 50 1 dual.hosts.skydns.local.",
                "srvint.skydns.local. 3600 IN SRV 10 50 2 dual.hosts.skydns.local.")
            .additional("dual.hosts.skydns.local. 3600 IN A 10.7.0.2",
                "dual.hosts.skydns.local. 3600 IN AAAA 2001:db8::7"),
        DnsCase.of("SRV to an in-domain alias adds the CNAME chain", "srvchain.skydns.local.", Type.SRV)
            .answer("srvchain.skydns.local. 3600 IN SRV 10 100 5 l8.long.skydns.local.")
            .additional("l8.long.skydns.local. 3600 IN CNAME l9.long.skydns.local.",
                "l9.long.skydns.local. 3600 IN A 10.1.0.9"),
        DnsCase.of("SRV of services with empty hosts is NODATA", "empty.skydns.local.", Type.SRV)
            .authority(SOA),
        DnsCase.of("SRV skips hosts that are not valid names", "bad.skydns.local.", Type.SRV)
            .authority(SOA));
  }

  static Stream<DnsCase> underscore() {
    return Stream.of(
        DnsCase.of("A does not descend into _ labels", "only.underscore.skydns.local.", Type.A)
            .authority(SOA),
        DnsCase.of("A beside _ labels answers only the plain addresses", "web.underscore.skydns.local.", Type.A)
            .answer("web.underscore.skydns.local. 3600 IN A 10.3.0.1"),
        DnsCase.of("A that names the _ labels reaches them", "x._http._tcp.only.underscore.skydns.local.", Type.A)
            .answer("x._http._tcp.only.underscore.skydns.local. 3600 IN CNAME target.example.com."),
        DnsCase.of("A through wildcards does not reach _ labels", "*.*.only.underscore.skydns.local.", Type.A)
            .authority(SOA),
        DnsCase.of("SRV of a named port below _ labels", "_http._tcp.web.underscore.skydns.local.", Type.SRV)
            .answer("_http._tcp.web.underscore.skydns.local. 3600 IN SRV 10 100 80 ep1.web.underscore.skydns.local.")
            .additional("ep1.web.underscore.skydns.local. 3600 IN A 10.3.0.1"));
  }

  static Stream<DnsCase> groups() {
    return Stream.of(
        DnsCase.of("group: the shallowest grouped entry chooses, ungrouped always kept", "domain.skydns.local.", Type.A)
            .answer("domain.skydns.local. 3600 IN A 127.0.0.1", "domain.skydns.local. 3600 IN A 127.0.0.2",
                "domain.skydns.local. 3600 IN A 127.0.0.5"),
        DnsCase.of("group: a subdomain gets its own group", "subdom.domain.skydns.local.", Type.A)
            .answer("subdom.domain.skydns.local. 3600 IN A 127.0.0.3",
                "subdom.domain.skydns.local. 3600 IN A 127.0.0.4",
                "subdom.domain.skydns.local. 3600 IN A 127.0.0.5"),
        DnsCase.of("group: groups disagreeing at one depth filter nothing", "groups2.skydns.local.", Type.A)
            .answer("groups2.skydns.local. 3600 IN A 127.0.1.1", "groups2.skydns.local. 3600 IN A 127.0.1.2"));
  }

  static Stream<DnsCase> apex() {
    return Stream.of(
        DnsCase.of("NS at the apex from dns/ns with glue, name hosts skipped", "skydns.local.", Type.NS)
            .answer("skydns.local. 3600 IN NS ns1.ns.dns.skydns.local.",
                "skydns.local. 3600 IN NS ns2.ns.dns.skydns.local.")
            .additional("ns1.ns.dns.skydns.local. 3600 IN A 172.16.0.1",
                "ns2.ns.dns.skydns.local. 3600 IN AAAA 2001:db8::53"),
        DnsCase.of("NS at the apex keeps the question's case", "SkyDNS.Local.", Type.NS)
            .answer("SkyDNS.Local. 3600 IN NS ns1.ns.dns.skydns.local.",
                "SkyDNS.Local. 3600 IN NS ns2.ns.dns.skydns.local.")
            .additional("ns1.ns.dns.skydns.local. 3600 IN A 172.16.0.1",
                "ns2.ns.dns.skydns.local. 3600 IN AAAA 2001:db8::53"),
        DnsCase.of("NS below the apex for an existing name is NODATA", "east.skydns.local.", Type.NS)
            .authority(SOA),
        DnsCase.of("NS below the apex for a missing name is NXDOMAIN", "nope.skydns.local.", Type.NS)
            .rcode(Rcode.NXDOMAIN).authority(SOA),
        DnsCase.of("SOA at the apex, TTL the default, serial the hour", "skydns.local.", Type.SOA)
            .answer(SOA.replace(" 60 IN", " 3600 IN")),
        DnsCase.of("SOA below the apex is NODATA", "east.skydns.local.", Type.SOA).authority(SOA));
  }

  static Stream<DnsCase> negative() {
    return Stream.of(
        DnsCase.of("missing name is NXDOMAIN with AA and the SOA", "doesnotexist.skydns.local.", Type.A)
            .rcode(Rcode.NXDOMAIN).authority(SOA),
        DnsCase.of("missing name is NXDOMAIN for SRV too", "doesnotexist.skydns.local.", Type.SRV)
            .rcode(Rcode.NXDOMAIN).authority(SOA),
        DnsCase.of("missing name is NXDOMAIN for TXT too", "doesnotexist.skydns.local.", Type.TXT)
            .rcode(Rcode.NXDOMAIN).authority(SOA),
        DnsCase.of("missing name is NXDOMAIN for other types too", "doesnotexist.skydns.local.", Type.HINFO)
            .rcode(Rcode.NXDOMAIN).authority(SOA),
        DnsCase.of("missing name is NXDOMAIN even when a sibling shares its prefix", "eas.skydns.local.", Type.A)
            .rcode(Rcode.NXDOMAIN).authority(SOA),
        DnsCase.of("existing name without that type is NODATA with the SOA", "4.rails.staging.east.skydns.local.", Type.AAAA)
            .authority(SOA),
        DnsCase.of("other types on an existing name are NODATA", "4.rails.staging.east.skydns.local.", Type.HINFO)
            .authority(SOA),
        DnsCase.of("PTR for an in-domain name is NODATA", "4.rails.staging.east.skydns.local.", Type.PTR)
            .authority(SOA));
  }

  static Stream<DnsCase> ttl() {
    return Stream.of(
        DnsCase.of("TTL: the record's own ttl", "fixed.ttl.skydns.local.", Type.A)
            .answer("fixed.ttl.skydns.local. 30 IN A 10.4.0.1"),
        DnsCase.of("TTL: one RRset gets the smallest TTL of its records", "ttl.skydns.local.", Type.A)
            .answer("ttl.skydns.local. 30 IN A 10.4.0.1", "ttl.skydns.local. 30 IN A 10.4.0.2"),
        DnsCase.of("TTL: above the default is not capped", "big.skydns.local.", Type.A)
            .answer("big.skydns.local. 7200 IN A 10.4.1.1", "big.skydns.local. 7200 IN A 10.4.1.2"),
        DnsCase.of("TTL: lease remaining seconds, rounded up", "lease.skydns.local.", Type.A)
            .answer("lease.skydns.local. 20 IN A 10.4.4.1"),
        DnsCase.of("TTL: record ttl below the lease wins", "leasettl.skydns.local.", Type.A)
            .answer("leasettl.skydns.local. 10 IN A 10.4.4.2"),
        DnsCase.of("TTL: lease below the record ttl wins", "leasecap.skydns.local.", Type.A)
            .answer("leasecap.skydns.local. 20 IN A 10.4.4.3"),
        DnsCase.of("TTL: 32-bit ttl clamped to 2^31-1", "huge.skydns.local.", Type.A)
            .answer("huge.skydns.local. 2147483647 IN A 10.4.3.1"));
  }

  static Stream<DnsCase> refusedAndPassedOn() {
    return Stream.of(
        DnsCase.of("ANY is refused", "east.skydns.local.", Type.ANY).rcode(Rcode.REFUSED).aa(false),
        DnsCase.of("ANY is refused outside the domain too", "example.com.", Type.ANY)
            .rcode(Rcode.REFUSED).aa(false),
        DnsCase.of("outside the domain: passed to next", "www.example.com.", Type.A)
            .rcode(Rcode.SERVFAIL).aa(false),
        DnsCase.of("a name ending like the domain is not in it: passed to next", "xskydns.local.", Type.A)
            .rcode(Rcode.SERVFAIL).aa(false),
        DnsCase.of("class HS inside the domain is refused", "4.rails.staging.east.skydns.local.", Type.A)
            .qclass(DClass.HS).rcode(Rcode.REFUSED).aa(false));
  }

  static Stream<DnsCase> reverse() {
    String v6 = "1.0.0.0.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.2.ip6.arpa.";
    return Stream.of(
        DnsCase.of("reverse: PTR from the in-addr arpa key, not authoritative", "125.1.0.10.in-addr.arpa.", Type.PTR)
            .aa(false).answer("125.1.0.10.in-addr.arpa. 3600 IN PTR 4.rails.staging.east.skydns.local."),
        DnsCase.of("reverse: PTR from the ip6 arpa key", v6, Type.PTR)
            .aa(false).answer(v6 + " 3600 IN PTR 6.rails.staging.east.skydns.local."),
        DnsCase.of("reverse: PTR keeps the question's case", "125.1.0.10.IN-ADDR.ARPA.", Type.PTR)
            .aa(false).answer("125.1.0.10.IN-ADDR.ARPA. 3600 IN PTR 4.rails.staging.east.skydns.local."),
        DnsCase.of("reverse: no record there, passed to next", "1.1.1.10.in-addr.arpa.", Type.PTR)
            .rcode(Rcode.SERVFAIL).aa(false),
        DnsCase.of("reverse: a directory, passed to next", "1.0.10.in-addr.arpa.", Type.PTR)
            .rcode(Rcode.SERVFAIL).aa(false),
        DnsCase.of("reverse: a record with an IP host, passed to next", "126.1.0.10.in-addr.arpa.", Type.PTR)
            .rcode(Rcode.SERVFAIL).aa(false),
        DnsCase.of("reverse: other types for arpa names are passed to next", v6, Type.TXT)
            .rcode(Rcode.SERVFAIL).aa(false));
  }

  static Stream<DnsCase> chaos() {
    return Stream.of(
        DnsCase.of("CHAOS version.bind gives the version", "version.bind.", Type.TXT).qclass(DClass.CH)
            .answer("version.bind. 0 CH TXT \"clusterdns test\""),
        DnsCase.of("CHAOS version.server gives the version", "VERSION.server.", Type.TXT).qclass(DClass.CH)
            .answer("VERSION.server. 0 CH TXT \"clusterdns test\""),
        DnsCase.of("CHAOS hostname.bind gives the host name", "hostname.bind.", Type.TXT).qclass(DClass.CH)
            .answer("hostname.bind. 0 CH TXT \"test-host\""),
        DnsCase.of("CHAOS id.server gives the host name", "id.server.", Type.TXT).qclass(DClass.CH)
            .answer("id.server. 0 CH TXT \"test-host\""),
        DnsCase.of("CHAOS authors.bind gives the authors", "authors.bind.", Type.TXT).qclass(DClass.CH)
            .answer("authors.bind. 0 CH TXT \"the clusterdns authors\""),
        DnsCase.of("CHAOS other names are refused", "foo.bind.", Type.TXT).qclass(DClass.CH)
            .rcode(Rcode.REFUSED).aa(false),
        DnsCase.of("CHAOS other types are refused", "version.bind.", Type.A).qclass(DClass.CH)
            .rcode(Rcode.REFUSED).aa(false),
        DnsCase.of("CHAOS SOA at the apex is refused", "skydns.local.", Type.SOA).qclass(DClass.CH)
            .rcode(Rcode.REFUSED).aa(false));
  }
}
