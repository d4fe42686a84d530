package org.clusterdns.skydns.resolve.stub;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Resolver;
import org.clusterdns.skydns.resolve.forward.ForwardEvents;
import org.clusterdns.skydns.resolve.forward.LoopMarker;
import org.clusterdns.skydns.resolve.forward.UpstreamExchanger;
import org.clusterdns.skydns.resolve.forward.UpstreamGroup;
import org.clusterdns.skydns.resolve.forward.UpstreamQuestion;
import org.clusterdns.skydns.resolve.forward.UpstreamReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Sends questions for names in a stub zone to that zone's servers (spec 12), before anything else
 * looks at them: a stub zone overrides even the served domain's own records.
 *
 * <p>The forwarded query carries the loop marker ({@link LoopMarker}); a query that arrives with
 * it is not forwarded again but answered REFUSED at once (SkyDNS dropped it, which left the other
 * server waiting for its timeout). When no server of the zone answers, the client gets SERVFAIL.
 * {@code no_rec} does not apply: a stub zone is configuration, not recursion.
 *
 * @implNote Thread-safe and non-blocking.
 */
public final class StubResolver implements Resolver {
  private static final Logger log = LoggerFactory.getLogger(StubResolver.class);

  private final StubZones zones;
  private final UpstreamExchanger exchanger;
  private final ForwardEvents events;

  /** Creates the step for {@code zones}, sending through {@code exchanger}. */
  public StubResolver(StubZones zones, UpstreamExchanger exchanger, ForwardEvents events) {
    this.zones = Objects.requireNonNull(zones, "zones");
    this.exchanger = Objects.requireNonNull(exchanger, "exchanger");
    this.events = Objects.requireNonNull(events, "events");
  }

  @Override
  public CompletionStage<Message> resolve(DnsRequest request, Next next) {
    Optional<UpstreamGroup> zone = zones.match(request.lname());
    if (zone.isEmpty()) {
      return next.resolve(request);
    }
    if (!UpstreamQuestion.isForwardable(request.qtype())) {
      return CompletableFuture.completedFuture(UpstreamReplies.error(request, Rcode.REFUSED, false));
    }
    if (LoopMarker.isPresent(request.query())) {
      events.loopRefused();
      log.debug("refused {} from {}: it was already forwarded to a stub zone by a SkyDNS", request.qname(),
          request.client());
      return CompletableFuture.completedFuture(UpstreamReplies.error(request, Rcode.REFUSED, false));
    }
    return exchanger.answer(zone.get(), request);
  }
}
