package org.clusterdns.skydns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.clusterdns.skydns.server.TestMessages.addressReply;
import static org.clusterdns.skydns.server.TestMessages.parse;
import static org.clusterdns.skydns.server.TestMessages.query;

import io.netty.channel.epoll.Epoll;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.clusterdns.skydns.config.ListenConfig;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The listeners over real UDP and TCP sockets on 127.0.0.1. */
class DnsServerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Path DIG = Path.of("/usr/bin/dig");

  private final RecordingEvents events = new RecordingEvents();
  private final QueryProcessor processor = new QueryProcessor(
      request -> CompletableFuture.completedFuture(answer(request)), events);
  private DnsServer server;

  /** Answers "many.*" names with 100 A records and everything else with one. */
  private static Message answer(DnsRequest request) {
    return addressReply(request, request.lname().startsWith("many.") ? 100 : 1);
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private void start(int eventLoops, Duration idle, int maxConnections, boolean epoll)
      throws InterruptedException {
    ListenConfig config = new ListenConfig(new InetSocketAddress("127.0.0.1", 0), eventLoops, idle,
        maxConnections, 128);
    server = new DnsServer(config, processor, epoll);
    server.start();
  }

  private void start() throws InterruptedException {
    start(2, Duration.ofSeconds(8), 10, Epoll.isAvailable());
  }

  private SimpleResolver resolver(boolean tcp) {
    SimpleResolver resolver = new SimpleResolver(tcp ? server.tcpAddress() : server.udpAddress());
    resolver.setTCP(tcp);
    resolver.setTimeout(TIMEOUT);
    return resolver;
  }

  private static Message ask(SimpleResolver resolver, String name) throws IOException {
    return resolver.send(query(name, Type.A));
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(server.tcpAddress().getAddress(), server.tcpAddress().getPort());
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    return socket;
  }

  private static byte[] framedQuery(int id) {
    Message query = query("web.skydns.local", Type.A);
    query.getHeader().setID(id);
    byte[] wire = query.toWire();
    byte[] framed = new byte[wire.length + 2];
    framed[0] = (byte) (wire.length >>> 8);
    framed[1] = (byte) wire.length;
    System.arraycopy(wire, 0, framed, 2, wire.length);
    return framed;
  }

  private static Message readFramed(DataInputStream in) throws IOException {
    byte[] reply = new byte[in.readUnsignedShort()];
    in.readFully(reply);
    return parse(reply);
  }

  @ParameterizedTest(name = "epoll={0}")
  @ValueSource(booleans = {true, false})
  void answersOverUdpAndTcpOnTheSamePort(boolean epoll) throws Exception {
    Assumptions.assumeTrue(!epoll || Epoll.isAvailable(), "epoll is not available");
    start(2, Duration.ofSeconds(8), 10, epoll);

    assertThat(server.udpAddress().getPort()).isEqualTo(server.tcpAddress().getPort()).isPositive();
    for (boolean tcp : new boolean[] {false, true}) {
      Message reply = ask(resolver(tcp), "web.skydns.local");
      assertThat(reply.getRcode()).as("tcp=%s", tcp).isEqualTo(Rcode.NOERROR);
      assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
    }
  }

  @Test
  void truncatesOverUdpAndAnswersInFullOverTcp() throws Exception {
    start();

    SimpleResolver udpResolver = resolver(false);
    udpResolver.setIgnoreTruncation(true);
    Message udp = ask(udpResolver, "many.skydns.local");
    Message tcp = ask(resolver(true), "many.skydns.local");

    assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(udp.getSection(Section.ANSWER)).isNotEmpty().hasSizeLessThan(100);
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(100);
  }

  @Test
  void answersPipelinedQueriesOnOneConnection() throws Exception {
    start();
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      byte[] three = new byte[0];
      for (int id = 1; id <= 3; id++) {
        byte[] framed = framedQuery(id);
        byte[] joined = Arrays.copyOf(three, three.length + framed.length);
        System.arraycopy(framed, 0, joined, three.length, framed.length);
        three = joined;
      }
      out.write(three);
      out.flush();

      DataInputStream in = new DataInputStream(socket.getInputStream());
      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        ids.add(readFramed(in).getHeader().getID());
      }
      assertThat(ids).containsExactlyInAnyOrder(1, 2, 3);
    }
  }

  @Test
  void closesIdleConnections() throws Exception {
    start(1, Duration.ofMillis(200), 10, Epoll.isAvailable());
    try (Socket socket = connect()) {
      long started = System.nanoTime();
      assertThat(socket.getInputStream().read()).as("end of stream").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT);
    }
  }

  @Test
  void tcpIdleTimeoutCloses1ByteEvery100MillisDribbler() throws Exception {
    start(1, Duration.ofMillis(500), 10, Epoll.isAvailable());
    ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(new byte[] {(byte) 0xff, (byte) 0xff}); // a 65535-byte frame, never completed
      dribbler.scheduleAtFixedRate(() -> {
        try {
          out.write(0);
        } catch (IOException closed) {
          throw new UncheckedIOException(closed); // ends the repetition
        }
      }, 100, 100, TimeUnit.MILLISECONDS);

      long started = System.nanoTime();
      assertThat(readUntilClosed(socket)).as("connection closed by the server").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    } finally {
      dribbler.shutdownNow();
    }
  }

  /**
   * Returns true when the server closed the connection: end of stream, or a reset when the close
   * raced a byte in flight; false when nothing came within the socket timeout.
   */
  private static boolean readUntilClosed(Socket socket) throws IOException {
    try {
      return socket.getInputStream().read() == -1;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (SocketException reset) {
      return true;
    }
  }

  @Test
  void refusesConnectionsBeyondTheCap() throws Exception {
    start(1, Duration.ofSeconds(8), 1, Epoll.isAvailable());
    try (Socket first = connect(); Socket second = connect()) {
      first.getOutputStream().write(framedQuery(1));
      assertThat(readFramed(new DataInputStream(first.getInputStream())).getHeader().getID())
          .isEqualTo(1);

      assertThat(second.getInputStream().read()).as("refused connection closed").isEqualTo(-1);
      await().atMost(TIMEOUT).until(() -> events.refusedConnections.get() == 1);

      first.getOutputStream().write(framedQuery(2));
      assertThat(readFramed(new DataInputStream(first.getInputStream())).getHeader().getID())
          .isEqualTo(2);
    }
  }

  @Test
  void answersAGoodQueryAfterGarbageDatagrams() throws Exception {
    start(1, Duration.ofSeconds(8), 10, Epoll.isAvailable());
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      byte[][] garbage = {{}, {1, 2, 3}, {0x42, 0x42, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63}};
      for (byte[] payload : garbage) {
        socket.send(new DatagramPacket(payload, payload.length, server.udpAddress()));
      }
      byte[] buffer = new byte[512];
      DatagramPacket formerr = new DatagramPacket(buffer, buffer.length);
      socket.receive(formerr);
      assertThat(parse(Arrays.copyOf(buffer, formerr.getLength())).getRcode())
          .isEqualTo(Rcode.FORMERR);
    }

    assertThat(ask(resolver(false), "web.skydns.local").getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aClientSendingHalfAFrameDoesNotHoldUpOthers() throws Exception {
    start(1, Duration.ofSeconds(8), 10, Epoll.isAvailable());
    try (Socket stalled = connect()) {
      stalled.getOutputStream().write(new byte[] {0, 50, 0x12, 0x34, 1});
      stalled.getOutputStream().flush();

      assertThat(ask(resolver(true), "web.skydns.local").getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(ask(resolver(false), "web.skydns.local").getRcode()).isEqualTo(Rcode.NOERROR);
    }
  }

  @ParameterizedTest(name = "dig {0}")
  @ValueSource(strings = {"+notcp", "+tcp"})
  void answersDig(String transport) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(DIG), "dig is not installed");
    start();

    String output = dig("web.skydns.local", transport);

    assertThat(output).contains("status: NOERROR").contains("flags: qr aa rd;")
        .contains("ANSWER: 1,").containsPattern("web\\.skydns\\.local\\.\\s+30\\s+IN\\s+A\\s+10\\.0\\.0\\.0")
        .contains("; EDNS: version: 0, flags:; udp: 1232");
  }

  @Test
  void digRetriesATruncatedReplyOverTcp() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(DIG), "dig is not installed");
    start();

    String output = dig("many.skydns.local", "+notcp");

    assertThat(output).contains("Truncated, retrying in TCP mode").contains("ANSWER: 100,");
  }

  @Test
  void ednsVersion1GetsBadversFromDig() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(DIG), "dig is not installed");
    start();

    String output = dig("web.skydns.local", "+edns=1", "+noednsnegotiation");

    assertThat(output).contains("status: BADVERS").contains("ANSWER: 0,")
        .contains("; EDNS: version: 0, flags:; udp: 1232");
  }

  private String dig(String name, String... options) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(DIG.toString(), "@127.0.0.1", "-p",
        Integer.toString(server.udpAddress().getPort()), name, "A", "+tries=1", "+time=5"));
    command.addAll(List.of(options));
    Process dig = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      assertThat(dig.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("dig finished").isTrue();
      String output = new String(dig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(dig.exitValue()).as("dig exit status, output:%n%s", output).isZero();
      return output;
    } finally {
      dig.destroyForcibly();
    }
  }
}
