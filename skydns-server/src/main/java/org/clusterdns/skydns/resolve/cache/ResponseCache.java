package org.clusterdns.skydns.resolve.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Outcome;
import org.clusterdns.skydns.resolve.Resolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The response cache step ({@code rcache}): answers a question the rest of the chain answered
 * before with a copy of that reply, and otherwise passes it on and keeps what comes back.
 *
 * <p>Key: the question name (case-insensitive), type and class, the RD, AD and CD bits, and the client's kind:
 * whether the query has an EDNS0 OPT and its DO bit. Kept replies are complete (the chain never
 * truncates) and the transport fits each reuse to its client's limit, so the exact payload size and
 * UDP or TCP need not split entries; EDNS0 or not must, because an upstream may answer a query
 * without EDNS0 differently (fewer additional records, no DNSSEC data). A query carrying an EDNS0
 * client-subnet option bypasses the cache, as its answer may be tailored to that subnet.
 *
 * <p>What is kept: answers (NOERROR with records), and NXDOMAIN and NODATA that carry a SOA in the
 * authority section, provided the reply answers the question asked and is at most 4096 bytes
 * without OPT. Never kept: TC replies, SERVFAIL, REFUSED and other errors,
 * referrals, drops ({@code null}), failed stages, and replies whose smallest TTL is 0.
 *
 * <p>Lifetime: the smallest TTL in the reply (OPT aside), for negative answers also the SOA
 * MINIMUM (RFC 2308 section 5), at most {@link ResponseCacheConfig#ttl()}. Every reuse gets the
 * client's ID, RD, CD and question case, each TTL lowered by the whole seconds since the reply was
 * kept, and, with round robin, its address RRsets shuffled.
 *
 * <p>Answers for the served domain and for reverse ({@code arpa.}) names may come from the index:
 * they are reused only while the index generation is the one seen before the chain was asked, so
 * a change of the data ends them at once. Every other name can only be answered by a stub zone or
 * an upstream, so those replies live out their TTL whatever else the index does, unless the stub
 * zones change: then a name may go to another server, and every such reply ends at once. The
 * question name decides rather than the AA flag, because local PTR answers are not authoritative
 * and upstreams can set AA.
 *
 * <p>Every query passed on counts one miss, including those that bypass the cache, so hits plus
 * misses are the queries this step saw. Concurrent misses for one key each go on down the chain:
 * the forwarder sends identical upstream queries once, and answers from the index cost little.
 *
 * @implNote Thread-safe; a hit reads a concurrent map and never blocks or writes. At most
 *     {@code capacity} replies are kept (plus one per thread storing at that moment); when full,
 *     the oldest kept reply goes first.
 */
public final class ResponseCache implements Resolver {
  private static final Logger log = LoggerFactory.getLogger(ResponseCache.class);
  private static final Name ARPA = Name.fromConstantString("arpa.");
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final int EDNS = 1;
  private static final int DNSSEC_OK = 2;
  private static final int CHECKING_DISABLED = 4;
  private static final int RECURSION_DESIRED = 8;
  private static final int AUTHENTIC_DATA = 16;

  private final int capacity;
  private final long maxLifetimeNanos;
  private final Name domain;
  private final boolean roundRobin;
  private final LongSupplier generation;
  private final LongSupplier routing;
  private final LongSupplier nanoClock;
  private final RandomGenerator random;
  private final Runnable miss;
  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  /** Entries in the order they were kept, overwritten in a circle: the eviction order. */
  private final AtomicReferenceArray<Entry> slots;
  private final AtomicLong stored = new AtomicLong();

  /**
   * Creates the step.
   *
   * @param config capacity, lifetime, served domain and round robin
   * @param generation the index's data generation ({@code Backend::generation})
   * @param routing the stub zones' version ({@code StubZones::version}; constant without stub zones)
   * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime})
   * @param random the source for round robin; called on event-loop threads
   * @param miss counts one cache miss ({@code dns_cachemiss_count_total{cache="response"}})
   * @throws IllegalArgumentException when the domain is not a DNS name
   */
  public ResponseCache(ResponseCacheConfig config, LongSupplier generation, LongSupplier routing,
      LongSupplier nanoClock, RandomGenerator random, Runnable miss) {
    this.capacity = config.capacity();
    this.maxLifetimeNanos = config.ttl().toNanos();
    this.domain = parseDomain(config.domain());
    this.roundRobin = config.roundRobin();
    this.generation = Objects.requireNonNull(generation, "generation");
    this.routing = Objects.requireNonNull(routing, "routing");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.random = Objects.requireNonNull(random, "random");
    this.miss = Objects.requireNonNull(miss, "miss");
    this.slots = new AtomicReferenceArray<>(capacity);
  }

  @Override
  public CompletionStage<Message> resolve(DnsRequest request, Next next) {
    Key key = Key.of(request);
    if (key != null) {
      Message hit = lookup(key, request);
      if (hit != null) {
        return CompletableFuture.completedFuture(hit);
      }
    }
    miss.run();
    if (key == null) {
      return next.resolve(request);
    }
    // Taken before the chain is asked: a change while it works must end what it answers.
    long generationBefore = generation.getAsLong();
    long routingBefore = routing.getAsLong();
    return next.resolve(request).thenApply(reply -> {
      store(key, request, reply, generationBefore, routingBefore);
      return reply;
    });
  }

  /** Returns how many replies are kept, usable or not. */
  int size() {
    return entries.size();
  }

  private Message lookup(Key key, DnsRequest request) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    long age = nanoClock.getAsLong() - entry.storedNanos;
    if (age >= entry.lifetimeNanos) {
      return null;
    }
    if (entry.generation != (entry.fromIndex ? generation.getAsLong() : routing.getAsLong())) {
      return null;
    }
    Message reply = entry.reply.replyTo(request.query(), age / NANOS_PER_SECOND);
    if (reply != null && roundRobin) {
      shuffleAddresses(reply);
    }
    return reply;
  }

  private void store(Key key, DnsRequest request, Message reply, long generationBefore, long routingBefore) {
    if (reply == null) {
      return;
    }
    try {
      long lifetimeNanos = lifetimeNanos(request, reply);
      if (lifetimeNanos <= 0) {
        return;
      }
      CachedReply cached = CachedReply.encode(reply);
      if (cached == null) {
        return;
      }
      boolean fromIndex = mayComeFromIndex(request.qname(), domain);
      insert(new Entry(key, cached, nanoClock.getAsLong(), lifetimeNanos, fromIndex,
          fromIndex ? generationBefore : routingBefore));
    } catch (RuntimeException e) {
      // dnsjava can hold records it cannot encode; the transport will fail on them too.
      log.debug("not caching the reply to {} {}: {}", request.qname(), Type.string(request.qtype()),
          e.toString());
    }
  }

  private void insert(Entry entry) {
    // Into the map first, then into a slot: a concurrent overwrite of that slot then finds the
    // entry in the map and removes it, so no entry outlives its slot.
    entries.put(entry.key, entry);
    int slot = (int) (stored.getAndIncrement() % capacity);
    Entry evicted = slots.getAndSet(slot, entry);
    if (evicted != null) {
      entries.remove(evicted.key, evicted);
    }
  }

  /**
   * Returns how long {@code reply} may be reused, or 0 when it must not be kept (see the class
   * description).
   */
  private long lifetimeNanos(DnsRequest request, Message reply) {
    return answersQuestion(request, reply) ? lifetimeNanos(reply, maxLifetimeNanos) : 0;
  }

  /**
   * Returns how long this cache would keep {@code reply} (a complete reply to the question it
   * holds), at most {@code limit}; zero when it would not keep it. The transport uses the same
   * rule for the encoded copies it keeps of forwarded answers.
   */
  public static Duration lifetime(Message reply, Duration limit) {
    return Duration.ofNanos(lifetimeNanos(reply, limit.toNanos()));
  }

  /**
   * Returns whether answers for {@code name} may be made from the index (the served domain and
   * reverse names), and so must end when the data changes.
   */
  public static boolean mayComeFromIndex(Name name, Name domain) {
    return name.subdomain(domain) || name.subdomain(ARPA);
  }

  private static long lifetimeNanos(Message reply, long maxLifetimeNanos) {
    if (reply.getHeader().getFlag(Flags.TC)) {
      return 0;
    }
    Outcome outcome = Outcome.of(reply);
    boolean negative = outcome == Outcome.NXDOMAIN || outcome == Outcome.NODATA;
    if (outcome != Outcome.NOERROR && !negative) {
      return 0;
    }
    long seconds = Long.MAX_VALUE;
    boolean soa = false;
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record record : reply.getSection(section)) {
        if (record.getType() == Type.OPT) {
          continue; // its TTL field holds EDNS0 flags
        }
        // dnsjava reads a TTL with the top bit set as 0 (RFC 2181 section 8), so that is not kept.
        seconds = Math.min(seconds, record.getTTL());
        if (section == Section.AUTHORITY && record instanceof SOARecord soaRecord) {
          soa = true;
          seconds = Math.min(seconds, asTtl(soaRecord.getMinimum()));
        }
      }
    }
    if (negative && !soa) {
      return 0;
    }
    return Math.min(maxLifetimeNanos, seconds * NANOS_PER_SECOND);
  }

  /**
   * Returns a SOA MINIMUM (an unsigned 32-bit field) read as a TTL, as RFC 2181 section 8 reads
   * TTLs: values with the top bit set mean 0.
   */
  private static long asTtl(long value) {
    return value > Integer.MAX_VALUE ? 0 : value;
  }

  private static boolean answersQuestion(DnsRequest request, Message reply) {
    Record question = reply.getQuestion();
    return reply.getHeader().getCount(Section.QUESTION) == 1
        && question != null
        && question.getName().equals(request.qname())
        && question.getType() == request.qtype()
        && question.getDClass() == request.qclass();
  }

  /** Shuffles each run of A or AAAA records of one owner in the answer section. */
  private void shuffleAddresses(Message reply) {
    List<Record> answers = new ArrayList<>(reply.getSection(Section.ANSWER));
    boolean shuffled = false;
    int start = 0;
    while (start < answers.size()) {
      int end = start + 1;
      while (end < answers.size() && sameAddressRRset(answers.get(start), answers.get(end))) {
        end++;
      }
      for (int i = end - 1; i > start; i--) {
        int j = start + random.nextInt(i - start + 1);
        answers.set(j, answers.set(i, answers.get(j)));
        shuffled = true;
      }
      start = end;
    }
    if (shuffled) {
      reply.removeAllRecords(Section.ANSWER);
      for (Record record : answers) {
        reply.addRecord(record, Section.ANSWER);
      }
    }
  }

  private static boolean sameAddressRRset(Record first, Record other) {
    return (first.getType() == Type.A || first.getType() == Type.AAAA)
        && other.getType() == first.getType()
        && other.getDClass() == first.getDClass()
        && other.getName().equals(first.getName());
  }

  private static Name parseDomain(String domain) {
    try {
      return Name.fromString(domain, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + domain, e);
    }
  }

  /** A question as the cache tells questions apart; {@link Name} compares case-insensitively. */
  private record Key(Name name, int type, int dclass, int flags) {

    /** Returns the key of {@code request}, or {@code null} when it must bypass the cache. */
    static Key of(DnsRequest request) {
      int flags = 0;
      OPTRecord opt = request.query().getOPT();
      if (opt != null) {
        if (!opt.getOptions(EDNSOption.Code.CLIENT_SUBNET).isEmpty()) {
          return null;
        }
        flags |= EDNS;
        if ((opt.getFlags() & ExtendedFlags.DO) != 0) {
          flags |= DNSSEC_OK;
        }
      }
      if (request.query().getHeader().getFlag(Flags.CD)) {
        flags |= CHECKING_DISABLED;
      }
      // Forwarded with the client's RD, and AD relayed only to clients that asked: an upstream
      // may answer RD=0 from its cache alone, and AD must not reach clients that did not ask.
      if (request.query().getHeader().getFlag(Flags.RD)) {
        flags |= RECURSION_DESIRED;
      }
      if (request.query().getHeader().getFlag(Flags.AD)) {
        flags |= AUTHENTIC_DATA;
      }
      return new Key(request.qname(), request.qtype(), request.qclass(), flags);
    }
  }

  /**
   * A kept reply.
   *
   * @param storedNanos when it was kept, on the nano clock
   * @param fromIndex whether it may have been made from the index
   * @param generation what was seen before the chain was asked for it: the index generation when
   *     it may come from the index, otherwise the stub zones' version
   */
  private record Entry(Key key, CachedReply reply, long storedNanos, long lifetimeNanos,
      boolean fromIndex, long generation) {}
}
