package org.clusterdns.skydns.resolve.forward;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Gets the answer to a question from a group of upstream servers: one server at a time in the
 * group's order, the next one after a timeout, an error or an error rcode, until one answers
 * NOERROR or NXDOMAIN or the time for the question is used up.
 *
 * <p>Each question is sent as a fresh query: a new random ID, the question, RD/CD as asked, and an
 * OPT record of this server's own (payload {@value #PAYLOAD_SIZE}, the DO bit as asked, the loop
 * marker for stub zones). The client's other EDNS options and records are never passed on, so
 * nothing a client wrote is re-encoded.
 *
 * <p>Identical questions in flight to the same group share one exchange. At most
 * {@code maxOutstanding} exchanges run at once; beyond that a question fails at once, so a flood
 * of unique names for a dead upstream cannot pile up sockets and memory.
 *
 * @implNote Thread-safe and non-blocking. Results complete on dnsjava's I/O thread or the timeout
 *     thread; callers must not mutate the shared reply.
 */
public final class UpstreamExchanger {
  /** The EDNS payload size advertised upstream: the DNS flag day 2020 value. */
  static final int PAYLOAD_SIZE = 1232;

  private static final Logger log = LoggerFactory.getLogger(UpstreamExchanger.class);

  private final int maxOutstanding;
  private final Duration attemptTimeout;
  private final Duration questionTimeout;
  private final ForwardEvents events;
  private final ConcurrentHashMap<InFlight, CompletableFuture<Message>> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger outstanding = new AtomicInteger();

  /**
   * Creates an exchanger.
   *
   * @param maxOutstanding how many distinct questions may wait for upstream servers at once
   * @param attemptTimeout how long one server may take to answer ({@code read_timeout})
   * @param questionTimeout how long all attempts for one question may take together, so a client
   *     gets SERVFAIL before it gives up itself
   * @param events where exchanges are reported
   */
  public UpstreamExchanger(int maxOutstanding, Duration attemptTimeout, Duration questionTimeout,
      ForwardEvents events) {
    if (maxOutstanding < 1) {
      throw new IllegalArgumentException("maxOutstanding must be positive");
    }
    this.maxOutstanding = maxOutstanding;
    this.attemptTimeout = Objects.requireNonNull(attemptTimeout, "attemptTimeout");
    this.questionTimeout = Objects.requireNonNull(questionTimeout, "questionTimeout");
    this.events = Objects.requireNonNull(events, "events");
  }

  /**
   * Returns the reply of the first server of {@code group} that answers {@code question} with
   * NOERROR or NXDOMAIN. Fails with {@link UpstreamFailure} when no server did in time, when the
   * group is empty, or when too many questions are outstanding.
   */
  public CompletableFuture<Message> ask(UpstreamGroup group, UpstreamQuestion question) {
    if (!UpstreamQuestion.isForwardable(question.type())) {
      // dnsjava runs zone transfers as blocking calls on the caller's thread: never here.
      return CompletableFuture.failedFuture(new UpstreamFailure(Type.string(question.type()) + " is not forwarded"));
    }
    if (group.isEmpty()) {
      return CompletableFuture.failedFuture(new UpstreamFailure(group + " has no servers"));
    }
    InFlight key = new InFlight(group, question);
    CompletableFuture<Message> shared = inFlight.get(key);
    if (shared != null) {
      return shared.copy();
    }
    if (outstanding.incrementAndGet() > maxOutstanding) {
      outstanding.decrementAndGet();
      events.outstandingCapReached();
      return CompletableFuture.failedFuture(new UpstreamFailure(
          maxOutstanding + " questions are already waiting for upstream servers"));
    }
    CompletableFuture<Message> created = new CompletableFuture<>();
    shared = inFlight.putIfAbsent(key, created);
    if (shared != null) {
      outstanding.decrementAndGet();
      return shared.copy();
    }
    // The question leaves the table before anyone sees its answer, so a question asked after an
    // answer arrived is always sent anew.
    CompletableFuture<Message> exchange = new CompletableFuture<>();
    exchange.whenComplete((reply, error) -> {
      inFlight.remove(key, created);
      outstanding.decrementAndGet();
      if (error != null) {
        created.completeExceptionally(error);
      } else {
        created.complete(reply);
      }
    });
    long deadline = System.nanoTime() + questionTimeout.toNanos();
    attemptSafely(group, group.attemptOrder(), 0, question, deadline, exchange);
    return created.copy();
  }

  /**
   * Returns the client's reply to {@code request} from {@code group}: the first usable upstream
   * answer relayed with the client's ID and question, or SERVFAIL when there was none.
   */
  public CompletionStage<Message> answer(UpstreamGroup group, DnsRequest request) {
    return ask(group, UpstreamQuestion.of(request)).handle((upstream, failure) -> {
      if (failure != null) {
        log.debug("answering SERVFAIL to {} {}: {}", request.qname(), request.client(), failure.getMessage());
        return UpstreamReplies.failure(request);
      }
      return UpstreamReplies.relay(request, upstream);
    });
  }

  /** Returns how many distinct questions are waiting for upstream servers now. */
  public int outstanding() {
    return outstanding.get();
  }

  /**
   * Runs {@link #attempt}, failing the question if anything throws: a question that never
   * completes would hold its place among the outstanding ones and leave every client that joins
   * it without a reply.
   */
  private void attemptSafely(UpstreamGroup group, List<Upstream> order, int index, UpstreamQuestion question,
      long deadline, CompletableFuture<Message> result) {
    try {
      attempt(group, order, index, question, deadline, result);
    } catch (RuntimeException e) {
      log.warn("asking {} for {} failed unexpectedly", group, question.name(), e);
      result.completeExceptionally(e);
    }
  }

  private void attempt(UpstreamGroup group, List<Upstream> order, int index, UpstreamQuestion question,
      long deadline, CompletableFuture<Message> result) {
    long remaining = deadline - System.nanoTime();
    if (index >= order.size() || remaining <= 0) {
      result.completeExceptionally(new UpstreamFailure("no server of " + group + " answered "
          + question.name() + " in time (" + index + " of " + order.size() + " tried)"));
      return;
    }
    Upstream server = order.get(index);
    Duration timeout = Duration.ofNanos(Math.min(remaining, attemptTimeout.toNanos()));
    long started = System.nanoTime();
    server.send(query(group, question), timeout).handle((reply, error) -> {
      handle(group, order, index, question, deadline, result, server, started, reply, error);
      return null;
    }).exceptionally(error -> {
      // The handler threw before the question ended; without this the question would never end.
      result.completeExceptionally(error);
      return null;
    });
  }

  private void handle(UpstreamGroup group, List<Upstream> order, int index, UpstreamQuestion question,
      long deadline, CompletableFuture<Message> result, Upstream server, long started, Message reply,
      Throwable error) {
    UpstreamResult outcome = classify(reply, error, question);
    events.upstreamExchange(server.address(), outcome, System.nanoTime() - started);
    if (outcome == UpstreamResult.ANSWERED) {
      if (server.answered()) {
        log.info("upstream {} of {} answers again", server, group);
      }
      result.complete(reply);
      return;
    }
    if (outcome.countsAgainstServer() && server.failed()) {
      log.warn("upstream {} of {} failed {} times in a row ({}); it is tried after the others until it answers",
          server, group, Upstream.FAILING_AFTER, describe(outcome, error));
    } else {
      log.debug("upstream {} of {} did not answer {} {}: {}", server, group, question.name(),
          question.type(), describe(outcome, error));
    }
    attemptSafely(group, order, index + 1, question, deadline, result);
  }

  private static Message query(UpstreamGroup group, UpstreamQuestion question) {
    Message query = new Message(); // dnsjava draws the ID from a SecureRandom
    if (question.recursionDesired()) {
      query.getHeader().setFlag(Flags.RD);
    }
    if (question.checkingDisabled()) {
      query.getHeader().setFlag(Flags.CD);
    }
    query.addRecord(Record.newRecord(question.name(), question.type(), question.dclass()), Section.QUESTION);
    OPTRecord opt = new OPTRecord(PAYLOAD_SIZE, 0, 0,
        question.dnssecOk() ? org.xbill.DNS.ExtendedFlags.DO : 0,
        group.loopMarked() ? List.of(LoopMarker.option()) : List.of());
    query.addRecord(opt, Section.ADDITIONAL);
    return query;
  }

  private static UpstreamResult classify(Message reply, Throwable error, UpstreamQuestion question) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      return cause instanceof TimeoutException || cause instanceof java.net.SocketTimeoutException
          ? UpstreamResult.TIMEOUT : UpstreamResult.ERROR;
    }
    Record asked = reply.getQuestion();
    // dnsjava retries a truncated UDP reply over TCP; a reply still truncated is not an answer.
    if (reply.getHeader().getFlag(Flags.TC) || asked == null || !asked.getName().equals(question.name()) || asked.getType() != question.type()
        || asked.getDClass() != question.dclass()) {
      return UpstreamResult.ERROR;
    }
    int rcode = reply.getRcode();
    if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
      return UpstreamResult.ANSWERED;
    }
    return rcode == Rcode.SERVFAIL ? UpstreamResult.SERVFAIL : UpstreamResult.REFUSED;
  }

  private static String describe(UpstreamResult outcome, Throwable error) {
    if (error == null) {
      return outcome.label();
    }
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return outcome.label() + ": " + cause;
  }

  private record InFlight(UpstreamGroup group, UpstreamQuestion question) {}
}
