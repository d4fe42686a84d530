package org.clusterdns.skydns.resolve.forward;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Resolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * The last step of the chain: sends what no earlier step answered (names outside the domain,
 * reverse names without a local record) to the nameservers (spec 11.1, 11.3), and answers
 * SERVFAIL promptly when none of them does.
 *
 * <p>In order:
 *
 * <ol>
 *   <li>a query carrying the stub-zone loop marker: REFUSED, never forwarded again;
 *   <li>zone transfers and other meta types: REFUSED, they are never forwarded;
 *   <li>{@code no_rec}: REFUSED with RA clear (SkyDNS answered SERVFAIL; REFUSED is the rcode for
 *       "not for you", RFC 1035 4.1.1, and tells the client to try its next server);
 *   <li>no nameservers, or fewer labels than {@code ndots}: SERVFAIL with RA set, as SkyDNS;
 *   <li>otherwise the upstream answer with the client's ID and question, or SERVFAIL (RA set) when
 *       no nameserver gave one (SkyDNS sent nothing at all, spec 19).
 * </ol>
 *
 * <p>It also asks the nameservers on behalf of other steps ({@link #lookup}).
 *
 * @implNote Thread-safe and non-blocking.
 */
public final class Forwarder implements Resolver {
  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

  private final UpstreamGroup nameservers;
  private final UpstreamExchanger exchanger;
  private final boolean noRecursion;
  private final int ndots;
  private final ForwardEvents events;

  /**
   * Creates the step.
   *
   * @param nameservers the upstream servers for names outside the domain
   * @param exchanger sends questions upstream (shared with the stub zones, so the cap is global)
   * @param noRecursion {@code no_rec}: refuse instead of forwarding
   * @param ndots the labels a name needs to be forwarded
   * @param events where refused loops are reported
   */
  public Forwarder(UpstreamGroup nameservers, UpstreamExchanger exchanger, boolean noRecursion, int ndots,
      ForwardEvents events) {
    this.nameservers = Objects.requireNonNull(nameservers, "nameservers");
    this.exchanger = Objects.requireNonNull(exchanger, "exchanger");
    this.noRecursion = noRecursion;
    this.ndots = ndots;
    this.events = Objects.requireNonNull(events, "events");
  }

  @Override
  public CompletionStage<Message> resolve(DnsRequest request, Next next) {
    if (LoopMarker.isPresent(request.query())) {
      events.loopRefused();
      log.debug("refused {} from {}: it carries the loop marker of a forwarding SkyDNS", request.qname(),
          request.client());
      return done(UpstreamReplies.error(request, Rcode.REFUSED, false));
    }
    if (noRecursion || !UpstreamQuestion.isForwardable(request.qtype())) {
      return done(UpstreamReplies.error(request, Rcode.REFUSED, false));
    }
    if (!forwardable(request.qname())) {
      return done(UpstreamReplies.failure(request));
    }
    return exchanger.answer(nameservers, request);
  }

  /**
   * Asks the nameservers {@code question} on this server's own behalf (an alias target outside
   * the domain), whatever {@code no_rec} says, as SkyDNS did. Fails when the name has fewer than
   * {@code ndots} labels, when there are no nameservers, or when none answered.
   */
  public CompletableFuture<Message> lookup(UpstreamQuestion question) {
    if (!forwardable(question.name())) {
      return CompletableFuture.failedFuture(new UpstreamFailure(question.name() + " is not forwarded"));
    }
    return exchanger.ask(nameservers, question);
  }

  private boolean forwardable(Name name) {
    return !nameservers.isEmpty() && name.labels() - 1 >= ndots;
  }

  private static CompletionStage<Message> done(Message reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
