package org.clusterdns.skydns.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Resolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

class MetricsResolverTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ServerMetrics metrics = new ServerMetrics(registry, "skydns", "skydns", new IdleBackend(),
      Clock.systemUTC());
  private final MetricsResolver resolver = new MetricsResolver(metrics, "skydns.local.");

  private static DnsRequest request(String name) throws TextParseException {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    return new DnsRequest(query, new InetSocketAddress("127.0.0.1", 5353), false, System.nanoTime());
  }

  private static Message reply(DnsRequest request, int rcode) {
    Message reply = new Message(request.query().getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setRcode(rcode);
    reply.addRecord(request.question(), Section.QUESTION);
    return reply;
  }

  private static Resolver.Next answering(int rcode) {
    return request -> CompletableFuture.completedFuture(reply(request, rcode));
  }

  private double value(String series) {
    return MetricsText.value(registry, series).orElseThrow(() -> new AssertionError("no series " + series));
  }

  private double requests(String system) {
    return value("skydns_skydns_dns_request_count_total{system=\"" + system + "\"}");
  }

  private double errors(String system, String cause) {
    return value("skydns_skydns_dns_error_count_total{cause=\"" + cause + "\",system=\"" + system + "\"}");
  }

  private double errorTotal() {
    double total = 0;
    for (RequestSystem system : RequestSystem.values()) {
      for (ErrorCause cause : ErrorCause.values()) {
        total += errors(system.label(), cause.label());
      }
    }
    return total;
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "web.skydns.local., auth",
      "skydns.local., auth",
      "Web.SkyDNS.Local., auth",
      "1.0.0.10.in-addr.arpa., reverse",
      "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa., reverse",
      "arpa., reverse",
      "example.org., recursive",
      "notskydns.local., recursive",
      "local., recursive",
  })
  void queriesAreCountedBySystem(String name, String system) throws Exception {
    DnsRequest request = request(name);
    resolver.resolve(request, answering(Rcode.NOERROR)).toCompletableFuture().join();

    assertThat(requests(system)).isEqualTo(1);
    assertThat(value("skydns_skydns_dns_request_duration_seconds_count{system=\"" + system + "\"}")).isEqualTo(1);
    double all = requests("auth") + requests("reverse") + requests("recursive") + requests("cache") + requests("stub");
    assertThat(all).isEqualTo(1);
    assertThat(errorTotal()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"NXDOMAIN, 3, nxdomain", "SERVFAIL, 2, servfail", "REFUSED, 5, refused"})
  void errorRepliesAreCountedOnceByCause(String name, int rcode, String cause) throws Exception {
    DnsRequest request = request("missing.skydns.local.");
    Message reply = resolver.resolve(request, answering(rcode)).toCompletableFuture().join();
    resolver.replySent(reply, 100, false, false); // SkyDNS counted UDP errors a second time here

    assertThat(errors("auth", cause)).isEqualTo(1);
    assertThat(errorTotal()).isEqualTo(1);
    assertThat(requests("auth")).isEqualTo(1);
  }

  @Test
  void answersNodataAndOtherRcodesAreNotErrors() throws Exception {
    DnsRequest request = request("web.skydns.local.");
    Message answer = reply(request, Rcode.NOERROR);
    answer.addRecord(new ARecord(request.qname(), DClass.IN, 30, InetAddress.getByName("10.0.0.1")),
        Section.ANSWER);
    resolver.resolve(request, r -> CompletableFuture.completedFuture(answer)).toCompletableFuture().join();
    resolver.resolve(request, answering(Rcode.NOERROR)).toCompletableFuture().join();
    resolver.resolve(request, answering(Rcode.NOTIMP)).toCompletableFuture().join();

    assertThat(requests("auth")).isEqualTo(3);
    assertThat(errorTotal()).isZero();
  }

  @Test
  void theReplyIsPassedThroughUnchanged() throws Exception {
    DnsRequest request = request("web.skydns.local.");
    Message reply = reply(request, Rcode.NOERROR);
    assertThat(resolver.resolve(request, r -> CompletableFuture.completedFuture(reply)).toCompletableFuture().join())
        .isSameAs(reply);
  }

  @Test
  void aFailedStageCountsAsServfailAndStillFails() throws Exception {
    IllegalStateException failure = new IllegalStateException("boom");
    CompletionStage<Message> stage = resolver.resolve(request("example.org."),
        r -> CompletableFuture.failedFuture(failure));

    assertThatThrownBy(() -> stage.toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .hasCause(failure);
    assertThat(requests("recursive")).isEqualTo(1);
    assertThat(errors("recursive", "servfail")).isEqualTo(1);
  }

  @Test
  void aNextThatThrowsCountsAsServfailAndFailsTheStage() throws Exception {
    IllegalStateException failure = new IllegalStateException("thrown, not a failed stage");
    CompletionStage<Message> stage = resolver.resolve(request("web.skydns.local."), r -> {
      throw failure;
    });

    assertThatThrownBy(() -> stage.toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .hasCause(failure);
    assertThat(requests("auth")).isEqualTo(1);
    assertThat(errors("auth", "servfail")).isEqualTo(1);
  }

  @Test
  void aDeliberateDropIsARequestWithoutAnError() throws Exception {
    Message reply = resolver.resolve(request("web.skydns.local."), r -> CompletableFuture.completedFuture(null))
        .toCompletableFuture().join();
    assertThat(reply).isNull();
    assertThat(requests("auth")).isEqualTo(1);
    assertThat(errorTotal()).isZero();
  }

  @Test
  void aReplyIsCountedOnlyWhenItsStageCompletes() throws Exception {
    CompletableFuture<Message> pending = new CompletableFuture<>();
    DnsRequest request = request("example.org.");
    CompletionStage<Message> stage = resolver.resolve(request, r -> pending);
    assertThat(requests("recursive")).isZero();

    pending.complete(reply(request, Rcode.NXDOMAIN));
    stage.toCompletableFuture().join();
    assertThat(requests("recursive")).isEqualTo(1);
    assertThat(errors("recursive", "nxdomain")).isEqualTo(1);
  }

  @Test
  void replySizesAndTruncationsAreCountedBySystem() throws Exception {
    DnsRequest request = request("web.skydns.local.");
    resolver.replySent(reply(request, Rcode.NOERROR), 700, false, false);
    resolver.replySent(reply(request, Rcode.NOERROR), 512, true, false);

    assertThat(value("skydns_skydns_dns_response_size_bytes_count{system=\"auth\"}")).isEqualTo(2);
    assertThat(value("skydns_skydns_dns_response_size_bytes_sum{system=\"auth\"}")).isEqualTo(1212);
    assertThat(errors("auth", "truncated")).isEqualTo(1);
    assertThat(errorTotal()).isEqualTo(1);
  }

  @Test
  void aReplyWithoutQuestionIsNotSized() {
    Message formerr = new Message(7);
    formerr.getHeader().setRcode(Rcode.FORMERR);
    resolver.replySent(formerr, 12, false, false);
    for (RequestSystem system : RequestSystem.values()) {
      assertThat(value("skydns_skydns_dns_response_size_bytes_count{system=\"" + system.label() + "\"}")).isZero();
    }
  }

  @Test
  void transportDropsRejectionsAndRefusedConnectionsAreCounted() {
    resolver.queryDropped("response");
    resolver.queryRejected(Rcode.FORMERR);
    resolver.tcpConnectionRefused();

    assertThat(value("skydns_skydns_dns_dropped_count_total{reason=\"response\"}")).isEqualTo(1);
    assertThat(value("skydns_skydns_dns_rejected_count_total{rcode=\"formerr\"}")).isEqualTo(1);
    assertThat(value("skydns_skydns_dns_tcp_refused_count_total")).isEqualTo(1);
  }

  @Test
  void questionsNotForwardedAreCountedByReason() {
    resolver.outstandingCapReached();
    resolver.outstandingCapReached();
    resolver.loopRefused();

    assertThat(value("skydns_skydns_forward_rejected_count_total{reason=\"outstanding_cap\"}")).isEqualTo(2);
    assertThat(value("skydns_skydns_forward_rejected_count_total{reason=\"loop\"}")).isEqualTo(1);
  }
}
