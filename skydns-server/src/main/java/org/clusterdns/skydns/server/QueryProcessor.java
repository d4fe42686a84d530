package org.clusterdns.skydns.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Resolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns one DNS message off the wire into the bytes to send back, independently of UDP or TCP:
 * the header checks done before any query logic, the resolver chain, and fitting the reply.
 *
 * <p>Before the chain sees a message (STYLE.md item 10):
 *
 * <ul>
 *   <li>fewer than 12 bytes: dropped (there is no ID to answer to);
 *   <li>QR set (a response): dropped, so that the server cannot be made to answer answers;
 *   <li>opcode other than QUERY: NOTIMP;
 *   <li>a message that cannot be parsed, whose section counts cannot fit in its length, whose
 *       QDCOUNT is not 1, or that has more than one OPT record: FORMERR;
 *   <li>an OPT record of an EDNS version other than 0: BADVERS.
 * </ul>
 *
 * <p>Replies to rejected messages echo the ID, opcode, RD and CD and, when the message parses, its
 * first question. A chain that throws or fails gets SERVFAIL (logged); a chain that completes with
 * {@code null} means no reply.
 *
 * @implNote Thread-safe and non-blocking; called on event-loop threads.
 */
public final class QueryProcessor {
  private static final Logger log = LoggerFactory.getLogger(QueryProcessor.class);
  private static final CompletionStage<byte[]> NO_REPLY = CompletableFuture.completedFuture(null);
  /** The smallest question on the wire: the root name, type and class. */
  private static final int MIN_QUESTION_BYTES = 5;
  /** The smallest resource record on the wire: the root name, type, class, TTL, rdlength. */
  private static final int MIN_RECORD_BYTES = 11;

  private final Resolver.Next chain;
  private final TransportEvents events;
  private final ReplyFitter fitter = new ReplyFitter();
  private final AnswerCache cache;

  /**
   * Creates a processor that passes well-formed queries to {@code chain} and reports to
   * {@code events}, without an answer cache.
   */
  public QueryProcessor(Resolver.Next chain, TransportEvents events) {
    this(chain, events, null);
  }

  /**
   * Creates a processor that answers repeated simple queries from an answer cache before parsing
   * them (see {@link AnswerCacheSettings}) and passes the rest to {@code chain}.
   */
  public QueryProcessor(Resolver.Next chain, TransportEvents events, AnswerCacheSettings cacheSettings) {
    this.chain = Objects.requireNonNull(chain, "chain");
    this.events = Objects.requireNonNull(events, "events");
    this.cache = cacheSettings == null ? null : cacheSettings.create();
  }

  /** Returns the listener this processor reports to, for the listeners that share it. */
  TransportEvents events() {
    return events;
  }

  /**
   * Processes one message and returns the encoded reply, or {@code null} when nothing is to be
   * sent. The returned stage never completes exceptionally.
   *
   * @param wire the message as received (UDP payload, or TCP frame without its length prefix)
   * @param client the sender
   * @param tcp whether it came over TCP (the reply limit is then 65535 bytes)
   */
  public CompletionStage<byte[]> process(byte[] wire, InetSocketAddress client, boolean tcp) {
    if (wire.length < Header.LENGTH) {
      events.queryDropped("short");
      return NO_REPLY;
    }
    if ((wire[2] & 0x80) != 0) {
      events.queryDropped("response");
      return NO_REPLY;
    }
    if (cache != null) {
      long started = System.nanoTime();
      byte[] hit = cache.lookup(wire, tcp);
      if (hit != null) {
        events.cachedReplySent(hit.length, hit[3] & 0x0F, tcp, System.nanoTime() - started);
        return CompletableFuture.completedFuture(hit);
      }
    }
    Message query = parse(wire);
    int opcode = (wire[2] >>> 3) & 0x0F;
    if (opcode != Opcode.QUERY) {
      return reject(wire, query, Rcode.NOTIMP, tcp);
    }
    if (query == null
        || query.getHeader().getCount(Section.QUESTION) != 1
        || query.getQuestion() == null
        || optCount(query) > 1) {
      return reject(wire, query, Rcode.FORMERR, tcp);
    }
    if (query.getOPT() != null && query.getOPT().getVersion() != 0) {
      return badVersion(query, tcp);
    }
    DnsRequest request = new DnsRequest(query, client, tcp, System.nanoTime());
    long generation = cache == null ? 0 : cache.generation();
    long routing = cache == null ? 0 : cache.routing();
    CompletionStage<Message> stage;
    try {
      stage = Objects.requireNonNull(chain.resolve(request), "the resolver chain returned no stage");
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return stage.handle((reply, error) -> finish(wire, request, reply, error, generation, routing));
  }

  /** Parses {@code wire}, or returns {@code null} when it is not a DNS message. */
  private static Message parse(byte[] wire) {
    // Reject impossible counts before dnsjava sizes its section lists by them: a 12-byte
    // message claiming 65535 records of each kind would otherwise cost a megabyte to refuse.
    long minimumLength = Header.LENGTH
        + (long) MIN_QUESTION_BYTES * count(wire, 4)
        + (long) MIN_RECORD_BYTES * (count(wire, 6) + count(wire, 8) + count(wire, 10));
    if (minimumLength > wire.length) {
      return null;
    }
    try {
      return new Message(wire);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static int count(byte[] wire, int offset) {
    return ((wire[offset] & 0xFF) << 8) | (wire[offset + 1] & 0xFF);
  }

  private static int optCount(Message query) {
    int opts = 0;
    for (Record record : query.getSection(Section.ADDITIONAL)) {
      if (record.getType() == Type.OPT) {
        opts++;
      }
    }
    return opts;
  }

  private CompletionStage<byte[]> reject(byte[] wire, Message query, int rcode, boolean tcp) {
    events.queryRejected(rcode);
    Message reply;
    OPTRecord queryOpt = null;
    if (query != null) {
      reply = ErrorReplies.from(query, rcode);
      queryOpt = query.getOPT();
    } else {
      boolean rd = (wire[2] & 0x01) != 0;
      boolean cd = (wire[3] & 0x10) != 0;
      reply = ErrorReplies.fromHeader(count(wire, 0), (wire[2] >>> 3) & 0x0F, rd, cd, rcode);
    }
    // An error reply is a header, one question and an OPT: it fits any client's limit.
    int limit = tcp ? DnsRequest.TCP_MAX_SIZE : DnsRequest.CLASSIC_UDP_SIZE;
    return CompletableFuture.completedFuture(send(fitter.fit(reply, queryOpt, limit, tcp), tcp));
  }

  /**
   * Answers a query with an EDNS version other than 0, the only one this server speaks: BADVERS
   * with a version 0 OPT and no records (RFC 6891 section 6.1.3). BADVERS is an extended rcode:
   * its low 4 bits (0) go in the header, the rest in the OPT.
   */
  private CompletionStage<byte[]> badVersion(Message query, boolean tcp) {
    events.queryRejected(Rcode.BADVERS);
    OPTRecord queryOpt = query.getOPT();
    Message reply = ErrorReplies.from(query, Rcode.BADVERS & 0xF);
    reply.addRecord(new OPTRecord(ReplyFitter.ADVERTISED_PAYLOAD_SIZE, Rcode.BADVERS >>> 4, 0,
        queryOpt.getFlags() & ExtendedFlags.DO), Section.ADDITIONAL);
    int limit = tcp ? DnsRequest.TCP_MAX_SIZE : DnsRequest.CLASSIC_UDP_SIZE;
    return CompletableFuture.completedFuture(send(fitter.fit(reply, queryOpt, limit, tcp), tcp));
  }

  private byte[] finish(byte[] wire, DnsRequest request, Message reply, Throwable error, long generation,
      long routing) {
    Message query = request.query();
    if (error != null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      log.warn("resolving {} {} for {} failed, answering SERVFAIL", request.qname(),
          Type.string(request.qtype()), request.client(), cause);
      return servfail(request);
    }
    if (reply == null) {
      events.queryDropped("resolver");
      return null;
    }
    try {
      ReplyFitter.Fitted fitted = fitter.fit(reply, query.getOPT(), request.maxReplySize(), request.tcp());
      if (cache != null && fitted.complete()) {
        cache.store(wire, reply, fitted.wire(), generation, routing);
      }
      return send(fitted, request.tcp());
    } catch (RuntimeException e) {
      log.warn("cannot encode the reply to {} {} for {}, answering SERVFAIL: {}",
          request.qname(), Type.string(request.qtype()), request.client(), e.toString());
      return servfail(request);
    }
  }

  private byte[] servfail(DnsRequest request) {
    Message failure = ErrorReplies.from(request.query(), Rcode.SERVFAIL);
    return send(fitter.fit(failure, request.query().getOPT(), request.maxReplySize(),
        request.tcp()), request.tcp());
  }

  private byte[] send(ReplyFitter.Fitted fitted, boolean tcp) {
    events.replySent(fitted.message(), fitted.wire().length, fitted.truncated(), tcp);
    return fitted.wire();
  }
}
