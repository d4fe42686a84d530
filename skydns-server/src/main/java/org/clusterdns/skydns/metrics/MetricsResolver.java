package org.clusterdns.skydns.metrics;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Outcome;
import org.clusterdns.skydns.resolve.Resolver;
import org.clusterdns.skydns.resolve.forward.ForwardEvents;
import org.clusterdns.skydns.resolve.forward.UpstreamResult;
import org.clusterdns.skydns.server.TransportEvents;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * The first step of the chain: passes every query on, then counts it in {@link ServerMetrics} by
 * system ({@code stub} for names in a stub zone, {@code auth} for names in the domain,
 * {@code reverse} for other {@code arpa} names, {@code recursive} for the rest), with its duration and its error cause (NXDOMAIN, REFUSED,
 * SERVFAIL, or a failed stage or an exception from the next step as SERVFAIL). As the transport's {@link TransportEvents} listener it
 * records reply sizes, truncations (cause {@code truncated}), drops and rejections; as the
 * forwarder's {@link ForwardEvents} listener, upstream exchanges and questions not forwarded.
 *
 * <p>Each reply is counted once per cause, unlike SkyDNS, which counted UDP errors twice.
 *
 * @implNote Thread-safe and non-blocking.
 */
public final class MetricsResolver implements Resolver, TransportEvents, ForwardEvents {
  private static final String ARPA = "arpa.";

  private final ServerMetrics metrics;
  private final String domain;
  private final String dotDomain;
  private final Predicate<String> inStubZone;

  /**
   * Creates the step for a server without stub zones.
   *
   * @param metrics where to count
   * @param domain the served domain, lower-case and absolute ({@code skydns.local.})
   */
  public MetricsResolver(ServerMetrics metrics, String domain) {
    this(metrics, domain, name -> false);
  }

  /**
   * Creates the step.
   *
   * @param metrics where to count
   * @param domain the served domain, lower-case and absolute ({@code skydns.local.})
   * @param inStubZone whether a lower-case absolute name is in a stub zone (system {@code stub})
   */
  public MetricsResolver(ServerMetrics metrics, String domain, Predicate<String> inStubZone) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.domain = Objects.requireNonNull(domain, "domain");
    this.dotDomain = "." + domain;
    this.inStubZone = Objects.requireNonNull(inStubZone, "inStubZone");
  }

  @Override
  public CompletionStage<Message> resolve(DnsRequest request, Next next) {
    CompletionStage<Message> stage;
    try {
      stage = next.resolve(request);
    } catch (RuntimeException e) {
      // A step that throws instead of failing its stage must still be counted, and the transport
      // then sees one failed stage to answer SERVFAIL to.
      stage = CompletableFuture.failedFuture(e);
    }
    return stage.whenComplete((reply, failure) -> {
      RequestSystem system = system(request.lname());
      metrics.request(system, (System.nanoTime() - request.receivedNanos()) / 1e9);
      if (failure != null) {
        metrics.error(system, ErrorCause.SERVFAIL);
      } else if (reply != null) {
        countError(system, Outcome.of(reply));
      }
    });
  }

  @Override
  public void replySent(Message reply, int bytes, boolean truncated, boolean tcp) {
    Record question = reply.getQuestion();
    if (question == null) {
      return; // an answer to an unparsable query: counted by queryRejected
    }
    RequestSystem system = system(question.getName().toString().toLowerCase(Locale.ROOT));
    metrics.responseSize(system, bytes);
    if (truncated) {
      metrics.error(system, ErrorCause.TRUNCATED);
    }
  }

  @Override
  public void cachedReplySent(int bytes, int rcode, boolean tcp, long elapsedNanos) {
    metrics.request(RequestSystem.CACHE, elapsedNanos / 1e9);
    metrics.responseSize(RequestSystem.CACHE, bytes);
    if (rcode == Rcode.NXDOMAIN) {
      metrics.error(RequestSystem.CACHE, ErrorCause.NXDOMAIN);
    }
  }

  @Override
  public void queryDropped(String reason) {
    metrics.dropped(reason);
  }

  @Override
  public void queryRejected(int rcode) {
    metrics.rejected(rcode);
  }

  @Override
  public void tcpConnectionRefused() {
    metrics.tcpConnectionRefused();
  }

  @Override
  public void upstreamExchange(InetSocketAddress server, UpstreamResult result, long nanos) {
    metrics.upstreamExchange(server.getAddress().getHostAddress() + ":" + server.getPort(), result.label());
  }

  @Override
  public void outstandingCapReached() {
    metrics.forwardRejected("outstanding_cap");
  }

  @Override
  public void loopRefused() {
    metrics.forwardRejected("loop");
  }

  private void countError(RequestSystem system, Outcome outcome) {
    switch (outcome) {
      case NXDOMAIN:
        metrics.error(system, ErrorCause.NXDOMAIN);
        break;
      case REFUSED:
        metrics.error(system, ErrorCause.REFUSED);
        break;
      case SERVFAIL:
        metrics.error(system, ErrorCause.SERVFAIL);
        break;
      default:
        break; // answers, NODATA and referrals are not errors
    }
  }

  /** Returns the system of a lower-case absolute name. */
  RequestSystem system(String lname) {
    if (inStubZone.test(lname)) {
      return RequestSystem.STUB;
    }
    if (lname.equals(domain) || lname.endsWith(dotDomain) || domain.equals(".")) {
      return RequestSystem.AUTH;
    }
    if (lname.equals(ARPA) || lname.endsWith("." + ARPA)) {
      return RequestSystem.REVERSE;
    }
    return RequestSystem.RECURSIVE;
  }
}
