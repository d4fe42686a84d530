package org.clusterdns.skydns.resolve.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.clusterdns.skydns.resolve.ResolverChain;
import org.clusterdns.skydns.server.QueryProcessor;
import org.clusterdns.skydns.server.TransportEvents;
import org.clusterdns.skydns.testing.DnsCase;
import org.clusterdns.skydns.testing.TestNameserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Upstream replies no well-behaved server sends: they never crash anything, and the client gets
 * the next server's answer or SERVFAIL.
 */
class HostileUpstreamTest {
  /**
   * Every upstream here replies at once, well or badly: the timeouts are never reached, so a reply
   * late on a loaded machine cannot turn into a timeout and hide what the test checks.
   */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration QUESTION = Duration.ofSeconds(10);
  private static final String WWW = "www.example.org. 300 IN A 192.0.2.80";

  private final List<TestNameserver> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(TestNameserver::close);
  }

  @Test
  void garbageIsAnErrorAndTheNextServerAnswers() throws Exception {
    TestNameserver garbage = server().replyBytes(query -> new byte[] {1, 2, 3, 4, 5});
    TestNameserver good = server(WWW);

    byte[] reply = ask(garbage, good);

    assertThat(new Message(reply).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(garbage.received()).hasSize(1);
  }

  @Test
  void aReplyToAnotherQuestionIsAnError() throws Exception {
    TestNameserver liar = server().replyBytes(query -> {
      Message reply = new Message(query.getHeader().getID());
      reply.getHeader().setFlag(Flags.QR);
      Record other = Record.newRecord(Name.fromConstantString("bank.example.com."), Type.A, DClass.IN);
      reply.addRecord(other, Section.QUESTION);
      reply.addRecord(new ARecord(other.getName(), DClass.IN, 300, new byte[] {6, 6, 6, 6}), Section.ANSWER);
      return reply.toWire();
    });

    Message reply = new Message(ask(liar));

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void aReplyWithTheWrongIdIsNotTaken() throws Exception {
    TestNameserver wrongId = server().replyBytes(query -> {
      byte[] wire = DnsCase.of("", "www.example.org.", Type.A).query().toWire();
      wire[2] |= (byte) 0x80; // QR
      wire[0] = (byte) ~query.getHeader().getID();
      return wire;
    });

    assertThat(new Message(ask(wrongId)).getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void aRecordThatCannotBeReencodedGivesServfailNotACrash() throws Exception {
    // A WKS record with an empty bitmap parses, but dnsjava 3.7.1 cannot write it back.
    TestNameserver odd = server().replyBytes(query -> {
      byte[] header = {0, 0, (byte) 0x81, (byte) 0x80, 0, 1, 0, 1, 0, 0, 0, 0};
      header[0] = (byte) (query.getHeader().getID() >> 8);
      header[1] = (byte) query.getHeader().getID();
      byte[] question = Record.newRecord(query.getQuestion().getName(), Type.A, DClass.IN).toWire(Section.QUESTION);
      // answer: pointer to the question name, type WKS (11), class IN, TTL 300, rdlength 5 (address + protocol)
      byte[] answer = {(byte) 0xC0, 12, 0, 11, 0, 1, 0, 0, 1, 44, 0, 5, (byte) 192, 0, 2, 1, 6};
      byte[] wire = new byte[header.length + question.length + answer.length];
      System.arraycopy(header, 0, wire, 0, header.length);
      System.arraycopy(question, 0, wire, header.length, question.length);
      System.arraycopy(answer, 0, wire, header.length + question.length, answer.length);
      return wire;
    });

    Message reply = new Message(ask(odd));

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  private TestNameserver server(String... records) {
    TestNameserver server = TestNameserver.start(records);
    servers.add(server);
    return server;
  }

  /** Sends a query for www.example.org A through the whole wire path and returns the reply bytes. */
  private static byte[] ask(TestNameserver... upstreams) throws Exception {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (TestNameserver upstream : upstreams) {
      addresses.add(upstream.address());
    }
    Forwarder forwarder = new Forwarder(new UpstreamGroup("nameservers", addresses, READ_TIMEOUT, false, false),
        new UpstreamExchanger(10, READ_TIMEOUT, QUESTION, ForwardEvents.NONE),
        false, 2, ForwardEvents.NONE);
    QueryProcessor processor = new QueryProcessor(new ResolverChain(List.of(forwarder)), TransportEvents.NONE);
    byte[] query = DnsCase.of("", "www.example.org.", Type.A).query().toWire();
    byte[] reply = processor.process(query, new InetSocketAddress("127.0.0.1", 5300), false)
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(reply).as("a reply is always sent").isNotNull();
    return reply;
  }
}
