package org.clusterdns.skydns.resolve;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * The resolvers in their one fixed order, joined so that each step's {@code next} is the rest of
 * the chain. The order is the caller's list, and DESIGN.md fixes it: metrics, cache, stub,
 * authoritative, forward. After the last step comes a terminal that answers SERVFAIL, since a
 * query that no step could answer is a failure of this server, not a fact about the name.
 */
public final class ResolverChain implements Resolver.Next {
  private final Resolver.Next head;

  /** Joins {@code steps} in order. */
  public ResolverChain(List<Resolver> steps) {
    Resolver.Next next = ResolverChain::unanswerable;
    for (int i = steps.size() - 1; i >= 0; i--) {
      Resolver step = steps.get(i);
      Resolver.Next rest = next;
      next = request -> step.resolve(request, rest);
    }
    this.head = next;
  }

  @Override
  public CompletionStage<Message> resolve(DnsRequest request) {
    return head.resolve(request);
  }

  private static CompletionStage<Message> unanswerable(DnsRequest request) {
    Message reply = Replies.reply(request.query());
    reply.getHeader().setRcode(Rcode.SERVFAIL);
    return CompletableFuture.completedFuture(reply);
  }
}
