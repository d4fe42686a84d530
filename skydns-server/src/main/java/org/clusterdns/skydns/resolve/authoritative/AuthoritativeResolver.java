package org.clusterdns.skydns.resolve.authoritative;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.clusterdns.skydns.backend.Backend;
import org.clusterdns.skydns.backend.ServiceEntry;
import org.clusterdns.skydns.config.AnswerConfig;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Resolver;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Answers questions about the served domain from the {@link Backend}, as SkyDNS 2 does (spec
 * sections 1-10 and 17), following the RFCs where the original does not (spec 19).
 *
 * <p>In order:
 *
 * <ol>
 *   <li>qtype ANY, or a backend that has not finished its first load: REFUSED.
 *   <li>Class CHAOS: TXT about the server ({@code version.bind.} and friends); anything else
 *       REFUSED.
 *   <li>PTR questions for {@code in-addr.arpa.}/{@code ip6.arpa.} names: the PTR stored at the
 *       reverse key (AA=0); without one, and for every other name outside the domain: {@code next}.
 *   <li>Other classes than IN for the domain: REFUSED (the zone exists only in class IN).
 *   <li>{@code local.dns.<domain>} stands for the configured host-local name (spec 17).
 *   <li>Answers per qtype, AA=1; no records gives NXDOMAIN when the name is not in the tree and
 *       NODATA otherwise, both with the SOA (TTL min_ttl, at most 2^31-1) in the authority section.
 * </ol>
 *
 * <p>The reply never has RA set and carries no OPT record; fitting it to the client is the
 * transport's job.
 *
 * @implNote Thread-safe and non-blocking: every answer is computed from memory on the calling
 *     thread and returned as a completed stage.
 */
public final class AuthoritativeResolver implements Resolver {
  private final AnswerConfig config;
  private final Backend backend;
  private final LongSupplier clockMillis;
  private final ServiceTree tree;
  private final RecordMaker records;
  private final AddressResolver addresses;
  private final TargetAnswers targets;
  private final SimpleAnswers simple;
  private final ApexAnswers apex;
  private final ChaosAnswers chaos;
  private final Optional<String> localName;

  /**
   * Creates the resolver.
   *
   * @param config how answers are shaped (domain, TTLs, priority, host-local name, switches)
   * @param backend where the services come from
   * @param clockMillis the wall clock in milliseconds, for lease TTLs and the SOA serial
   * @param random the source for round robin shuffling
   * @throws IllegalArgumentException when the domain or hostmaster is not a valid DNS name
   */
  public AuthoritativeResolver(
      AnswerConfig config, Backend backend, LongSupplier clockMillis, RandomGenerator random) {
    this(config, backend, clockMillis, random,
        new ChaosAnswers(ChaosAnswers.implementationVersion(), ChaosAnswers.localHostname()));
  }

  AuthoritativeResolver(AnswerConfig config, Backend backend, LongSupplier clockMillis,
      RandomGenerator random, ChaosAnswers chaos) {
    this.config = config;
    this.backend = backend;
    this.clockMillis = clockMillis;
    this.tree = new ServiceTree(backend, config);
    this.records = new RecordMaker(config);
    this.addresses = new AddressResolver(tree, records, config, random);
    this.targets = new TargetAnswers(tree, records, addresses);
    this.simple = new SimpleAnswers(tree, records);
    this.apex = new ApexAnswers(tree, records, config);
    this.chaos = chaos;
    this.localName = config.local().map(name -> name.toLowerCase(Locale.ROOT));
  }

  @Override
  public CompletionStage<Message> resolve(DnsRequest request, Next next) {
    if (request.qtype() == Type.ANY || !backend.isSynced()) {
      return done(Replies.error(request, Rcode.REFUSED));
    }
    if (request.qclass() == DClass.CH) {
      return done(chaos.answer(request.qname(), request.qtype())
          .map(answer -> Replies.answer(request, answer, true))
          .orElseGet(() -> Replies.error(request, Rcode.REFUSED)));
    }
    String lname = request.lname();
    if (request.qtype() == Type.PTR && isReverse(lname)) {
      return reverse(request, lname).map(this::done).orElseGet(() -> next.resolve(request));
    }
    if (!tree.isInside(lname)) {
      return next.resolve(request);
    }
    if (request.qclass() != DClass.IN) {
      return done(Replies.error(request, Rcode.REFUSED));
    }
    long now = clockMillis.getAsLong();
    String name = localName.filter(local -> lname.equals(config.localName())).orElse(lname);
    Answer answer = answer(request.qname(), name, request.qtype(), now);
    return done(Replies.authoritative(request, answer, () -> records.soa(config.minTtl(), now)));
  }

  private Answer answer(Name owner, String name, int qtype, long now) {
    return switch (qtype) {
      case Type.A, Type.AAAA -> addresses.answer(owner, name, qtype, now);
      case Type.SRV -> targets.srv(owner, name, now);
      case Type.MX -> targets.mx(owner, name, now);
      case Type.TXT -> simple.txt(owner, name, now);
      case Type.CNAME -> simple.cname(owner, name, now);
      case Type.SOA -> tree.isApex(name) ? apex.soa(now) : exists(name);
      case Type.NS -> tree.isApex(name) ? apex.ns(owner, now) : exists(name);
      default -> exists(name);
    };
  }

  /** Answers a type the domain holds no data for: NODATA if the name exists, else NXDOMAIN. */
  private Answer exists(String name) {
    return Answer.empty(tree.find(name).nameExists());
  }

  /**
   * Returns the PTR reply from the reverse key, or empty when there is no usable record there
   * (then the question is someone else's). AA is off: the reverse zones are not ours.
   */
  private Optional<Message> reverse(DnsRequest request, String lname) {
    Optional<ServiceEntry> entry = backend.reverseRecord(lname);
    if (entry.isEmpty() || entry.get().record().address().isPresent()) {
      return Optional.empty();
    }
    long now = clockMillis.getAsLong();
    return Names.parse(entry.get().record().host()).map(host -> Replies.answer(request,
        List.of(records.ptr(request.qname(), host, records.ttl(entry.get(), now))), false));
  }

  private static boolean isReverse(String lname) {
    return lname.endsWith(".in-addr.arpa.") || lname.endsWith(".ip6.arpa.");
  }

  private CompletionStage<Message> done(Message reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
