package org.clusterdns.skydns.resolve.authoritative;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.clusterdns.records.EtcdPath;
import org.clusterdns.records.MalformedRecordException;
import org.clusterdns.records.ServiceRecord;
import org.clusterdns.skydns.backend.InMemoryIndex;
import org.clusterdns.skydns.backend.ServiceEntry;
import org.clusterdns.skydns.config.AnswerConfig;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Resolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * The data the resolver tests answer from: the SkyDNS README's four example services plus a
 * subtree per rule under {@code skydns.local.}, so that each rule's records do not disturb the
 * others' answers.
 */
final class Fixtures {
  /** The wall clock every test reads: 2023-11-14T22:13:20Z. */
  static final long NOW = 1_700_000_000_000L;
  /** The SOA of negative answers at {@link #NOW}: serial rounded down to the hour, TTL min_ttl. */
  static final String SOA =
      "skydns.local. 60 IN SOA ns.dns.skydns.local. hostmaster.skydns.local. 1699999200 28800 7200 604800 60";
  static final String LONG_TEXT = "a".repeat(300);
  static final String EXACT_TEXT = "b".repeat(510);

  private static final String DOMAIN_KEY = "/skydns/local/skydns/";

  private Fixtures() {}

  /** Returns the config of the tests: SkyDNS defaults for skydns.local, round robin off. */
  static AnswerConfig config() {
    return AnswerConfig.defaults("skydns.local.").withRoundRobin(false);
  }

  /** Returns the next step every test chains to: it answers SERVFAIL without AA, as the chain's end. */
  static Resolver.Next servfail() {
    return request -> CompletableFuture.completedFuture(servfail(request));
  }

  static Message servfail(DnsRequest request) {
    Message reply = new Message(request.query().getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setRcode(Rcode.SERVFAIL);
    reply.addRecord(request.question(), Section.QUESTION);
    return reply;
  }

  /** Returns a synced index holding every fixture record. */
  static InMemoryIndex index() {
    InMemoryIndex index = new InMemoryIndex(new EtcdPath("skydns"));
    // The SkyDNS README's examples.
    put(index, "east/production/rails/1", "{\"host\":\"service1.example.com\",\"port\":8080}");
    put(index, "west/production/rails/2", "{\"host\":\"service2.example.com\",\"port\":8080}");
    put(index, "east/staging/rails/4", "{\"host\":\"10.0.1.125\",\"port\":8080}");
    put(index, "east/staging/rails/6", "{\"host\":\"2003::8:1\",\"port\":8080}");
    index.put(entry("/skydns/arpa/in-addr/10/0/1/125", "{\"host\":\"4.rails.staging.east.skydns.local\"}"));
    index.put(entry("/skydns/arpa/in-addr/10/0/1/126", "{\"host\":\"10.0.1.126\"}"));
    index.put(entry("/skydns/arpa/ip6/2/0/0/3/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/8/0/0/0/1",
        "{\"host\":\"6.rails.staging.east.skydns.local\"}"));
    // Name servers: the name-valued one is left out of the NS answer.
    put(index, "dns/ns/ns1", "{\"host\":\"172.16.0.1\"}");
    put(index, "dns/ns/ns2", "{\"host\":\"2001:db8::53\"}");
    put(index, "dns/ns/ns3", "{\"host\":\"ns.example.com\"}");
    // TXT.
    put(index, "txt/short", "{\"text\":\"hello world\"}");
    put(index, "txt/long", "{\"text\":\"" + LONG_TEXT + "\"}");
    put(index, "txt/exact", "{\"text\":\"" + EXACT_TEXT + "\"}");
    put(index, "hugetxt/a", "{\"text\":\"" + "c".repeat(70_000) + "\"}");
    put(index, "txt/quote", "{\"text\":\"say \\\"hi\\\" \\\\o/\"}");
    // MX.
    put(index, "mail/mx1", "{\"host\":\"mx1.example.com\",\"mail\":true,\"priority\":5}");
    put(index, "mail/mx2", "{\"host\":\"10.0.3.1\",\"mail\":true}");
    put(index, "mail/nomail", "{\"host\":\"10.0.3.2\"}");
    put(index, "mail/inner", "{\"host\":\"mailhost.internal.skydns.local\",\"mail\":true,\"priority\":20}");
    put(index, "internal/mailhost", "{\"host\":\"10.0.3.3\"}");
    put(index, "mailstrip/x/mx", "{\"host\":\"10.0.3.4\",\"mail\":true,\"targetstrip\":1}");
    // SRV weights.
    put(index, "weights/a", "{\"host\":\"a.example.com\",\"port\":80,\"weight\":120}");
    put(index, "weights/b", "{\"host\":\"b.example.com\",\"port\":80,\"weight\":100}");
    put(index, "weights/c", "{\"host\":\"c.example.com\",\"port\":80,\"weight\":130}");
    put(index, "weights2/a", "{\"host\":\"a.example.com\",\"port\":80,\"weight\":130}");
    put(index, "weights2/b", "{\"host\":\"b.example.com\",\"port\":80,\"weight\":80}");
    put(index, "weights2/c", "{\"host\":\"c.example.com\",\"port\":80,\"weight\":150}");
    put(index, "prio/p5a", "{\"host\":\"x.example.com\",\"priority\":5,\"weight\":10}");
    put(index, "prio/p5b", "{\"host\":\"y.example.com\",\"priority\":5}");
    put(index, "prio/p10a", "{\"host\":\"z.example.com\",\"weight\":1}");
    put(index, "prio/p10b", "{\"host\":\"w.example.com\"}");
    put(index, "dup/a", "{\"host\":\"dup.example.com\",\"port\":80}");
    put(index, "dup/b", "{\"host\":\"dup.example.com\",\"port\":80}");
    put(index, "dup/c", "{\"host\":\"other.example.com\",\"port\":80}");
    put(index, "wrap/a", "{\"host\":\"w.example.com\",\"port\":70000,\"priority\":65537}");
    // TargetStrip.
    put(index, "strip/rails/4", "{\"host\":\"10.0.1.125\",\"port\":8080,\"targetstrip\":2}");
    put(index, "strip/rails/6", "{\"host\":\"2003::8:1\",\"port\":8080,\"targetstrip\":2}");
    put(index, "strip2/x", "{\"host\":\"10.9.9.9\",\"targetstrip\":9}");
    put(index, "strip3/x", "{\"host\":\"a.b.example.com\",\"port\":1,\"targetstrip\":1}");
    // SRV targets inside the domain.
    put(index, "hosts/dual/v4", "{\"host\":\"10.7.0.2\"}");
    put(index, "hosts/dual/v6", "{\"host\":\"2001:db8::7\"}");
    put(index, "srvint/a", "{\"host\":\"dual.hosts.skydns.local\",\"port\":1}");
    put(index, "srvint/b", "{\"host\":\"dual.hosts.skydns.local\",\"port\":2}");
    put(index, "srvchain/a", "{\"host\":\"l8.long.skydns.local\",\"port\":5}");
    // CNAME chains: l0 -> l1 -> ... -> l9 -> 10.1.0.9, nine CNAMEs from l0, eight from l1.
    for (int i = 0; i < 9; i++) {
      put(index, "long/l" + i, "{\"host\":\"l" + (i + 1) + ".long.skydns.local\"}");
    }
    put(index, "long/l9", "{\"host\":\"10.1.0.9\"}");
    put(index, "loop/a", "{\"host\":\"b.loop.skydns.local\"}");
    put(index, "loop/b", "{\"host\":\"a.loop.skydns.local\"}");
    put(index, "loop/self", "{\"host\":\"self.loop.skydns.local\"}");
    put(index, "dangling/x", "{\"host\":\"nowhere.dangling.skydns.local\"}");
    put(index, "external/www", "{\"host\":\"www.example.org\"}");
    put(index, "case/x", "{\"host\":\"Target.Case.skydns.local\"}");
    put(index, "case/target", "{\"host\":\"10.2.0.1\"}");
    put(index, "ttlchain/x", "{\"host\":\"y.ttlchain.skydns.local\",\"ttl\":300}");
    put(index, "ttlchain/y", "{\"host\":\"10.4.2.1\",\"ttl\":30}");
    // Named ports below _ labels, as kube2sky writes them.
    put(index, "underscore/web/ep1", "{\"host\":\"10.3.0.1\"}");
    put(index, "underscore/web/_tcp/_http/ep1", "{\"host\":\"ep1.web.underscore.skydns.local\",\"port\":80}");
    put(index, "underscore/only/_tcp/_http/x", "{\"host\":\"target.example.com\",\"port\":80}");
    // Groups, as in the SkyDNS README, plus an ungrouped entry and a disagreement.
    put(index, "domain/a", "{\"host\":\"127.0.0.1\",\"group\":\"g1\"}");
    put(index, "domain/b", "{\"host\":\"127.0.0.2\",\"group\":\"g1\"}");
    put(index, "domain/subdom/c", "{\"host\":\"127.0.0.3\",\"group\":\"g2\"}");
    put(index, "domain/subdom/d", "{\"host\":\"127.0.0.4\",\"group\":\"g2\"}");
    put(index, "domain/subdom/e", "{\"host\":\"127.0.0.5\"}");
    put(index, "groups2/x", "{\"host\":\"127.0.1.1\",\"group\":\"g1\"}");
    put(index, "groups2/y", "{\"host\":\"127.0.1.2\",\"group\":\"g2\"}");
    // TTLs.
    put(index, "ttl/fixed", "{\"host\":\"10.4.0.1\",\"ttl\":30}");
    put(index, "ttl/default", "{\"host\":\"10.4.0.2\"}");
    put(index, "big/a", "{\"host\":\"10.4.1.1\",\"ttl\":7200}");
    put(index, "big/b", "{\"host\":\"10.4.1.2\",\"ttl\":7200}");
    put(index, "huge/a", "{\"host\":\"10.4.3.1\",\"ttl\":4294967295}");
    index.put(leased("lease/a", "{\"host\":\"10.4.4.1\"}", NOW + 19_500));
    index.put(leased("leasettl/a", "{\"host\":\"10.4.4.2\",\"ttl\":10}", NOW + 20_000));
    index.put(leased("leasecap/a", "{\"host\":\"10.4.4.3\",\"ttl\":100}", NOW + 20_000));
    // Host-local value.
    put(index, "addresses/public", "{\"host\":\"192.0.2.1\"}");
    // Odd data.
    put(index, "dupaddr/a", "{\"host\":\"10.6.0.1\"}");
    put(index, "dupaddr/b", "{\"host\":\"10.6.0.1\"}");
    put(index, "empty/txtonly", "{\"text\":\"just text\"}");
    put(index, "bad/a", "{\"host\":\"bad..name\",\"port\":1}");
    put(index, "bad/b", "{\"host\":\"" + "x".repeat(64) + ".example.com\",\"port\":1}");
    put(index, "rr/a", "{\"host\":\"10.5.0.1\"}");
    put(index, "rr/b", "{\"host\":\"10.5.0.2\"}");
    put(index, "rr/c", "{\"host\":\"10.5.0.3\"}");
    put(index, "rr/d", "{\"host\":\"10.5.0.4\"}");
    put(index, "rr/e", "{\"host\":\"10.5.0.5\"}");
    index.markSynced();
    return index;
  }

  /** Stores {@code json} at the key of a name below skydns.local, given as its key path. */
  static void put(InMemoryIndex index, String path, String json) {
    index.put(entry(DOMAIN_KEY + path, json));
  }

  static ServiceEntry entry(String key, String json) {
    return ServiceEntry.of(key, record(json));
  }

  private static ServiceEntry leased(String path, String json, long expiresAtMillis) {
    return new ServiceEntry(DOMAIN_KEY + path, record(json), expiresAtMillis);
  }

  private static ServiceRecord record(String json) {
    try {
      return ServiceRecord.fromJson(json.getBytes(StandardCharsets.UTF_8));
    } catch (MalformedRecordException e) {
      throw new IllegalArgumentException("fixture is not a service record: " + json, e);
    }
  }
}
