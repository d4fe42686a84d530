package org.clusterdns.skydns.server;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Function;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.wire.MessageWire;
import org.xbill.DNS.Message;

/**
 * Encoded replies to recent plain queries, so that a repeated question is answered by copying
 * bytes instead of parsing, resolving and encoding again: the hot path of a cluster DNS server,
 * where a few thousand names are asked for over and over.
 *
 * <p>Only simple queries take this path: opcode QUERY, one question, no other records except at
 * most one EDNS0 OPT (version 0, no options). The key is the question with its name lower-cased,
 * plus whether the query had an OPT and its DO bit, so a reply is only reused for a query that
 * would have produced the same bytes. A hit gets the query's ID, RD and CD bits and question name
 * (so the client's case comes back, also in owner names that point at it); it is used only when
 * it fits the client's limit (the one {@code DnsRequest.maxReplySize} gives), so truncation always
 * goes through the full path.
 *
 * <p>How long a reply may be reused is the caller's decision ({@link AnswerReuse}), per reply:
 * answers made from the data remember the backend generation they were made at and are ignored
 * once the data changed, and expire after a short maximum age, which bounds how stale a
 * lease-derived TTL or the hourly SOA serial can get; answers from elsewhere (the response cache's
 * forwarded answers) live out their lifetime with their TTLs counting down, unless the stub zones
 * change (the name may go to another server then), and are reused only for queries with the same
 * RD, CD and AD bits, which upstream servers may answer differently.
 *
 * @implNote Thread-safe and lock-free on lookups. When full, the whole cache is dropped: cheap,
 *     rare, and refilled by the next queries. Memory is bounded by capacity times the largest UDP
 *     reply, as larger replies are not stored.
 */
final class AnswerCache {
  private static final int HEADER = 12;
  private static final int OPT_TYPE = 41;
  private static final int OPT_RR_FIXED = 11;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  /** The query header bits an answer from elsewhere must have been made for: RD, AD and CD. */
  private static final int RD = 0x0100;
  private static final int AD_CD = 0x0030;
  private static final int ANY_FLAGS = -1;

  private final int capacity;
  private final LongSupplier generation;
  private final LongSupplier routing;
  private final LongSupplier nanoClock;
  private final Function<Message, AnswerReuse> reuse;
  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

  /**
   * Creates a cache of at most {@code capacity} replies.
   *
   * @param generation the backend's data generation; a change ends the answers made from the data
   * @param routing the stub zones' version; a change ends every answer
   * @param nanoClock a monotonic clock in nanoseconds
   * @param reuse how long a complete (untruncated) reply may be reused
   */
  AnswerCache(int capacity, LongSupplier generation, LongSupplier routing, LongSupplier nanoClock,
      Function<Message, AnswerReuse> reuse) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
    this.generation = Objects.requireNonNull(generation, "generation");
    this.routing = Objects.requireNonNull(routing, "routing");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.reuse = Objects.requireNonNull(reuse, "reuse");
  }

  /**
   * Returns the stored reply for {@code query}, patched for it, or {@code null} when the query is
   * not a simple one, nothing usable is stored, or the stored reply exceeds the client's limit.
   */
  byte[] lookup(byte[] query, boolean tcp) {
    Question question = Question.parse(query);
    if (question == null) {
      return null;
    }
    Entry entry = entries.get(question.key(query));
    if (entry == null) {
      return null;
    }
    long age = nanoClock.getAsLong() - entry.createdNanos;
    if (age > entry.lifetimeNanos || (entry.generation != NO_GENERATION && entry.generation != generation.getAsLong())
        || entry.routing != routing.getAsLong()) {
      entries.remove(question.key(query), entry);
      return null;
    }
    int limit = tcp ? DnsRequest.TCP_MAX_SIZE : question.udpLimit;
    if (entry.reply.length > limit || (entry.queryFlags != ANY_FLAGS && entry.queryFlags != queryFlags(query))) {
      return null;
    }
    byte[] reply = entry.reply.clone();
    if (entry.ttlOffsets != null) {
      MessageWire.lowerTtls(reply, entry.ttlOffsets, age / NANOS_PER_SECOND);
    }
    reply[0] = query[0];
    reply[1] = query[1];
    reply[2] = (byte) ((reply[2] & ~0x01) | (query[2] & 0x01)); // RD
    reply[3] = (byte) ((reply[3] & ~0x10) | (query[3] & 0x10)); // CD
    System.arraycopy(query, HEADER, reply, HEADER, question.nameLength);
    return reply;
  }

  /**
   * Stores {@code reply} (the encoded, untruncated answer to {@code query}) when the query is a
   * simple one, {@code message} may be reused (the caller's {@link AnswerReuse}) and the reply is at most
   * {@value DnsRequest#MAX_UDP_SIZE} bytes. Larger replies only ever go over TCP, where they are
   * rare; leaving them out bounds the cache's memory to capacity times that size.
   */
  void store(byte[] query, Message message, byte[] reply, long dataGeneration, long routingVersion) {
    if (reply.length > DnsRequest.MAX_UDP_SIZE) {
      return;
    }
    Question question = Question.parse(query);
    if (question == null) {
      return;
    }
    AnswerReuse how = reuse.apply(message);
    if (!how.reusable()) {
      return;
    }
    int[] ttlOffsets = null;
    if (how.countsDown()) {
      ttlOffsets = MessageWire.ttlOffsets(reply);
      if (ttlOffsets == null) {
        return;
      }
    }
    if (entries.size() >= capacity) {
      entries.clear();
    }
    entries.put(question.key(query), new Entry(reply.clone(), how.endsWithDataChange() ? dataGeneration : NO_GENERATION,
        routingVersion, nanoClock.getAsLong(), how.lifetimeNanos(), how.countsDown() ? queryFlags(query) : ANY_FLAGS, ttlOffsets));
  }

  /** Returns the RD, AD and CD bits of a query's header. */
  private static int queryFlags(byte[] query) {
    return (((query[2] & 0xFF) << 8) | (query[3] & 0xFF)) & (RD | AD_CD);
  }


  /** Returns the backend generation now, to be passed to {@link #store} for a query resolved after it. */
  long generation() {
    return generation.getAsLong();
  }

  /** Returns the stub zones' version now, to be passed to {@link #store} for a query resolved after it. */
  long routing() {
    return routing.getAsLong();
  }

  /** Returns how many replies are stored. */
  int size() {
    return entries.size();
  }

  /** Marks an entry that no data change ends. */
  private static final long NO_GENERATION = Long.MIN_VALUE;

  /**
   * One stored reply.
   *
   * @param generation the data generation it was made at, or {@link #NO_GENERATION}
   * @param routing the stub zones' version it was made at
   * @param queryFlags the RD, AD and CD bits of the query it answered, or {@link #ANY_FLAGS}
   * @param ttlOffsets where its TTLs are, when they count down; otherwise {@code null}
   */
  private record Entry(byte[] reply, long generation, long routing, long createdNanos, long lifetimeNanos, int queryFlags,
      int[] ttlOffsets) {}

  /** The facts about a simple query that the cache needs, read straight from the wire. */
  private static final class Question {
    final int nameLength;
    final int questionEnd;
    final byte ednsState;
    final int udpLimit;

    private Question(int nameLength, int questionEnd, byte ednsState, int udpLimit) {
      this.nameLength = nameLength;
      this.questionEnd = questionEnd;
      this.ednsState = ednsState;
      this.udpLimit = udpLimit;
    }

    /** Returns the question of a simple query, or {@code null} for anything else. */
    static Question parse(byte[] wire) {
      if (wire.length < HEADER + 5
          || (wire[2] & 0x78) != 0 // opcode QUERY
          || count(wire, 4) != 1 || count(wire, 6) != 0 || count(wire, 8) != 0 || count(wire, 10) > 1) {
        return null;
      }
      int position = HEADER;
      while (true) {
        if (position >= wire.length) {
          return null;
        }
        int length = wire[position] & 0xFF;
        if (length > 63) {
          return null; // a compression pointer or an extended label type has no place here
        }
        position += 1 + length;
        if (length == 0) {
          break;
        }
      }
      int nameLength = position - HEADER;
      int questionEnd = position + 4;
      if (count(wire, 10) == 0) {
        return questionEnd == wire.length
            ? new Question(nameLength, questionEnd, (byte) 0, DnsRequest.CLASSIC_UDP_SIZE) : null;
      }
      int opt = questionEnd;
      if (opt + OPT_RR_FIXED != wire.length
          || wire[opt] != 0
          || count(wire, opt + 1) != OPT_TYPE
          || wire[opt + 6] != 0 // EDNS version 0
          || count(wire, opt + 9) != 0) { // no options
        return null;
      }
      boolean dnssecOk = (wire[opt + 7] & 0x80) != 0;
      int limit = DnsRequest.udpLimit(count(wire, opt + 3));
      return new Question(nameLength, questionEnd, (byte) (dnssecOk ? 2 : 1), limit);
    }

    Key key(byte[] wire) {
      byte[] key = new byte[questionEnd - HEADER + 1];
      for (int i = 0; i < questionEnd - HEADER; i++) {
        byte b = wire[HEADER + i];
        // Lower-casing every byte in 'A'..'Z' is safe: length bytes are at most 63.
        key[i] = (b >= 'A' && b <= 'Z' && i < nameLength) ? (byte) (b + 32) : b;
      }
      key[key.length - 1] = ednsState;
      return new Key(key);
    }

    private static int count(byte[] wire, int offset) {
      return ((wire[offset] & 0xFF) << 8) | (wire[offset + 1] & 0xFF);
    }
  }

  private static final class Key {
    private final byte[] bytes;
    private final int hash;

    Key(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && hash == key.hash && Arrays.equals(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
