package org.clusterdns.skydns.resolve;

import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * One step of query processing.
 *
 * <p>Contract: {@link #resolve} receives a well-formed query (QR clear, opcode QUERY, exactly one
 * question; the transport has rejected everything else) and returns the complete reply for it. The
 * reply carries the query's ID and question; the transport alone fits it to the client's buffer
 * size (truncation, TC) and encodes it, so resolvers never truncate. A step that does not handle
 * the query passes it to {@code next} and may post-process what comes back. A completed stage
 * holding {@code null} means "send nothing" (a deliberate drop).
 *
 * @implNote Implementations are thread-safe and never block the calling thread: work that waits
 *     (upstream queries) completes the returned stage later.
 */
@FunctionalInterface
public interface Resolver {

  /**
   * Returns the reply to {@code request}.
   *
   * @param request the query and what is known about its client
   * @param next the rest of the chain; the last step gets one that answers SERVFAIL
   */
  CompletionStage<Message> resolve(DnsRequest request, Resolver.Next next);

  /** The rest of the chain, as seen from one step. */
  @FunctionalInterface
  interface Next {
    /** Passes the request on to the following steps. */
    CompletionStage<Message> resolve(DnsRequest request);
  }
}
