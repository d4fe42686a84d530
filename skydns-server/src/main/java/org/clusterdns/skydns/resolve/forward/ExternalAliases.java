package org.clusterdns.skydns.resolve.forward;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Resolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Completes address answers that end in an alias leaving the domain (a Service of type
 * ExternalName, a record whose host is an outside name): the alias target is asked of the
 * nameservers and their answer records are appended after the CNAME (spec 11.4), so that a client
 * gets the addresses in one round trip.
 *
 * <p>The appended records keep their own TTL, capped at {@code rcache_ttl} (SkyDNS set them all to
 * {@code rcache_ttl}, which can stretch an upstream's short TTL). When the nameservers do not give
 * an answer (failure, NXDOMAIN, no records) the reply stays the lone CNAME, which is correct and
 * lets the client's resolver follow the alias itself.
 *
 * <p>It sits right before the authoritative step and only looks at that step's replies.
 *
 * @implNote Thread-safe and non-blocking.
 */
public final class ExternalAliases implements Resolver {
  private static final Logger log = LoggerFactory.getLogger(ExternalAliases.class);

  private final Forwarder forwarder;
  private final Name domain;
  private final long maxTtl;

  /**
   * Creates the step.
   *
   * @param forwarder asks the nameservers
   * @param domain the served domain; targets inside it are the authoritative step's business
   * @param maxTtl the longest TTL an appended record keeps ({@code rcache_ttl})
   */
  public ExternalAliases(Forwarder forwarder, Name domain, Duration maxTtl) {
    this.forwarder = Objects.requireNonNull(forwarder, "forwarder");
    this.domain = Objects.requireNonNull(domain, "domain");
    this.maxTtl = maxTtl.toSeconds();
  }

  @Override
  public CompletionStage<Message> resolve(DnsRequest request, Next next) {
    CompletionStage<Message> answer = next.resolve(request);
    if ((request.qtype() != Type.A && request.qtype() != Type.AAAA) || request.qclass() != DClass.IN) {
      return answer;
    }
    return answer.thenCompose(reply -> {
      Name target = externalTarget(reply, request.qtype());
      if (target == null) {
        return CompletableFuture.completedFuture(reply);
      }
      return forwarder.lookup(UpstreamQuestion.recursive(target, request.qtype(), request.dnssecOk()))
          .handle((upstream, failure) -> {
            if (failure != null) {
              return reply;
            }
            try {
              return appended(reply, upstream);
            } catch (RuntimeException e) {
              // dnsjava cannot re-encode some odd records (a WKS with an empty bitmap); the CNAME alone is still right.
              log.debug("kept the lone CNAME to {}: cannot copy the upstream answer: {}", target, e.toString());
              return reply;
            }
          });
    });
  }

  /**
   * Returns the target of the CNAME that ends an authoritative address answer, when it is outside
   * the domain and the answer holds no address; otherwise {@code null}.
   */
  private Name externalTarget(Message reply, int qtype) {
    if (reply == null || reply.getRcode() != Rcode.NOERROR || !reply.getHeader().getFlag(Flags.AA)) {
      return null;
    }
    List<Record> answer = reply.getSection(Section.ANSWER);
    if (answer.isEmpty()) {
      return null;
    }
    for (Record record : answer) {
      if (record.getType() == qtype) {
        return null;
      }
    }
    Record last = answer.get(answer.size() - 1);
    if (!(last instanceof CNAMERecord cname) || cname.getTarget().subdomain(domain)) {
      return null;
    }
    return cname.getTarget();
  }

  private Message appended(Message reply, Message upstream) {
    if (upstream.getRcode() != Rcode.NOERROR) {
      return reply;
    }
    Message completed = reply.clone();
    for (Record record : chainFrom(target(reply), upstream.getSection(Section.ANSWER))) {
      completed.addRecord(record.getTTL() > maxTtl ? withTtl(record, maxTtl) : record, Section.ANSWER);
    }
    return completed;
  }

  /** Returns the target of the CNAME that ends {@code reply}'s answer. */
  private static Name target(Message reply) {
    List<Record> answer = reply.getSection(Section.ANSWER);
    return ((CNAMERecord) answer.get(answer.size() - 1)).getTarget();
  }

  /**
   * Returns the records of {@code answer} that continue the chain from {@code name}: its CNAMEs
   * followed in order, then the records (and their signatures) of the name they end at. Anything
   * else an upstream put there is left out, since the reply goes out as this server's own.
   */
  private static List<Record> chainFrom(Name name, List<Record> answer) {
    List<Record> chain = new ArrayList<>();
    Set<Name> visited = new HashSet<>();
    Name current = name;
    while (visited.add(current)) {
      Name next = null;
      for (Record record : answer) {
        if (record.getName().equals(current)) {
          chain.add(record);
          if (record instanceof CNAMERecord cname) {
            next = cname.getTarget();
          }
        }
      }
      if (next == null) {
        break;
      }
      current = next;
    }
    return chain;
  }

  /** Returns {@code record} with {@code ttl}; dnsjava has no public setter, so it is rebuilt from its data. */
  private static Record withTtl(Record record, long ttl) {
    return Record.newRecord(record.getName(), record.getType(), record.getDClass(), ttl,
        record.rdataToWireCanonical());
  }
}
