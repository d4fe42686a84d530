package org.clusterdns.skydns.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ResolverChainTest {
  private static DnsRequest request() throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("Web.Example."), Type.A, DClass.IN));
    query.getHeader().setID(99);
    return new DnsRequest(query, new InetSocketAddress("127.0.0.1", 5300), false, System.nanoTime());
  }

  @Test
  void stepsRunInTheGivenOrderAndEachCanHandOn() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    Resolver first = (request, next) -> {
      seen.add("first");
      return next.resolve(request);
    };
    Resolver second = (request, next) -> {
      seen.add("second");
      Message reply = Replies.reply(request.query());
      reply.getHeader().setFlag(Flags.AA);
      return CompletableFuture.completedFuture(reply);
    };
    Resolver never = (request, next) -> {
      seen.add("never");
      return next.resolve(request);
    };

    Message reply = new ResolverChain(List.of(first, second, never)).resolve(request())
        .toCompletableFuture().join();

    assertThat(seen).containsExactly("first", "second");
    assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
  }

  @Test
  void aQueryNoStepAnswersGetsServfailEchoingTheQuery() throws Exception {
    Message reply = new ResolverChain(List.of((request, next) -> next.resolve(request)))
        .resolve(request()).toCompletableFuture().join();

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(reply.getHeader().getID()).isEqualTo(99);
    assertThat(reply.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(reply.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(reply.getQuestion().getName().toString()).isEqualTo("Web.Example.");
  }
}
