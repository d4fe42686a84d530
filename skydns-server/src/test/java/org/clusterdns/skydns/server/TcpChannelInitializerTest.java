package org.clusterdns.skydns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusterdns.skydns.server.TestMessages.parse;
import static org.clusterdns.skydns.server.TestMessages.query;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The TCP pipeline built by {@link TcpChannelInitializer}, driven through {@link EmbeddedChannel}. */
class TcpChannelInitializerTest {
  private static final Duration IDLE = Duration.ofSeconds(8);

  private final RecordingEvents events = new RecordingEvents();
  private final QueryProcessor processor = new QueryProcessor(TestMessages.oneAddress(), events);

  /** An embedded channel with a client address, as the query handler expects one. */
  private static final class TcpTestChannel extends EmbeddedChannel {
    TcpTestChannel(ChannelHandler initializer) {
      super(initializer);
      // Only advanceTimeBy moves the clock: real time passing on a loaded machine must not
      // fire the idle timeout in the middle of a test.
      freezeTime();
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return new InetSocketAddress("127.0.0.1", 40000);
    }
  }

  private EmbeddedChannel channel = new TcpTestChannel(initializer(10, 128));

  private TcpChannelInitializer initializer(int maxConnections, int maxQueries) {
    return new TcpChannelInitializer(processor, IDLE, maxConnections, maxQueries);
  }

  @AfterEach
  void closeChannel() {
    channel.finishAndReleaseAll();
  }

  private static byte[] frame(byte[] message) {
    byte[] framed = new byte[message.length + 2];
    framed[0] = (byte) (message.length >>> 8);
    framed[1] = (byte) message.length;
    System.arraycopy(message, 0, framed, 2, message.length);
    return framed;
  }

  private static byte[] framedQuery(int id) {
    Message query = query("web.skydns.local", Type.A);
    query.getHeader().setID(id);
    return frame(query.toWire());
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  /** Reads one framed reply from the channel's outbound side, or returns null when there is none. */
  private Message readReply() {
    ByteBuf out = Unpooled.buffer();
    ByteBuf part;
    while ((part = channel.readOutbound()) != null) {
      out.writeBytes(part);
      part.release();
      if (out.readableBytes() >= 2 && out.readableBytes() >= 2 + out.getUnsignedShort(0)) {
        break;
      }
    }
    if (out.readableBytes() == 0) {
      return null;
    }
    int length = out.readUnsignedShort();
    assertThat(out.readableBytes()).as("reply frame length").isEqualTo(length);
    return parse(ByteBufUtil.getBytes(out));
  }

  @Test
  void answersAFramedQueryWithAFramedReply() {
    channel.writeInbound(Unpooled.wrappedBuffer(framedQuery(1)));

    Message reply = readReply();
    assertThat(reply.getHeader().getID()).isEqualTo(1);
    assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void answersTwoQueriesSentInOneWrite() {
    channel.writeInbound(Unpooled.wrappedBuffer(concat(framedQuery(1), framedQuery(2))));

    assertThat(readReply().getHeader().getID()).isEqualTo(1);
    assertThat(readReply().getHeader().getID()).isEqualTo(2);
  }

  @Test
  void answersAQuerySplitAcrossWrites() {
    byte[] framed = framedQuery(7);

    channel.writeInbound(Unpooled.wrappedBuffer(framed, 0, 1));
    assertThat(readReply()).isNull();
    channel.writeInbound(Unpooled.wrappedBuffer(framed, 1, 10));
    assertThat(readReply()).isNull();
    channel.writeInbound(Unpooled.wrappedBuffer(framed, 11, framed.length - 11));

    assertThat(readReply().getHeader().getID()).isEqualTo(7);
  }

  @Test
  void ignoresAnEmptyFrameAndAnswersTheNextQuery() {
    channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {0, 0}, framedQuery(3))));

    assertThat(readReply().getHeader().getID()).isEqualTo(3);
    assertThat(readReply()).isNull();
    assertThat(events.dropped).containsExactly("short");
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void answersAGarbageFrameWithAReadableIdWithFormerrAndKeepsTheConnection() {
    byte[] garbage = {0x55, 0x66, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, (byte) 0xff};
    channel.writeInbound(Unpooled.wrappedBuffer(concat(frame(garbage), framedQuery(4))));

    Message formerr = readReply();
    assertThat(formerr.getHeader().getID()).isEqualTo(0x5566);
    assertThat(formerr.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(readReply().getHeader().getID()).isEqualTo(4);
  }

  @Test
  void acceptsTheLargestFrameLength() {
    byte[] large = new byte[65535];
    byte[] header = query("web.skydns.local", Type.A).toWire();
    System.arraycopy(header, 0, large, 0, 12);

    channel.writeInbound(Unpooled.wrappedBuffer(frame(large)));

    // 65535 bytes with one question and trailing zeros: parses, but the rest is not a message.
    assertThat(readReply()).isNotNull();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void closesAnIdleConnection() {
    channel.advanceTimeBy(IDLE.toMillis() / 2, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isTrue();

    channel.advanceTimeBy(IDLE.toMillis() / 2 + 1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void closesAHalfFrameConnectionWhenIdle() {
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 40, 1, 2}));

    channel.advanceTimeBy(IDLE.toMillis() + 1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();

    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void tcpIdleTimeoutIsNotResetByAClientDribblingOneByteEvery100Millis() {
    channel.finishAndReleaseAll();
    channel = new TcpTestChannel(new TcpChannelInitializer(processor, Duration.ofMillis(500), 10, 128));
    byte[] frame = framedQuery(5);

    int sent = 0;
    while (channel.isOpen() && sent < frame.length) {
      channel.writeInbound(Unpooled.wrappedBuffer(frame, sent, 1));
      sent++;
      channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
      channel.runScheduledPendingTasks();
    }

    assertThat(channel.isOpen()).isFalse();
    assertThat(sent).as("bytes sent, one per 100 ms, before the close").isEqualTo(5);
  }

  @Test
  void tcpIdleTimeoutCountsWholeQueries() {
    for (int id = 1; id <= 3; id++) {
      channel.advanceTimeBy(IDLE.toMillis() - 1, TimeUnit.MILLISECONDS);
      channel.runScheduledPendingTasks();
      channel.writeInbound(Unpooled.wrappedBuffer(framedQuery(id)));
      assertThat(readReply().getHeader().getID()).isEqualTo(id);
    }
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void tcpConnectionIsClosedAfterTwoMinutesHoweverBusy() {
    long elapsedSeconds = 0;
    while (channel.isOpen() && elapsedSeconds < 300) {
      channel.writeInbound(Unpooled.wrappedBuffer(framedQuery(1)));
      assertThat(readReply()).isNotNull();
      channel.advanceTimeBy(4, TimeUnit.SECONDS);
      channel.runScheduledPendingTasks();
      elapsedSeconds += 4;
    }

    assertThat(channel.isOpen()).isFalse();
    assertThat(elapsedSeconds).isEqualTo(120);
  }

  @Test
  void closesAfterTheLastAllowedQueryIsAnswered() {
    channel.finishAndReleaseAll();
    channel = new TcpTestChannel(initializer(10, 2));

    channel.writeInbound(Unpooled.wrappedBuffer(
        concat(concat(framedQuery(1), framedQuery(2)), framedQuery(3))));

    assertThat(readReply().getHeader().getID()).isEqualTo(1);
    assertThat(readReply().getHeader().getID()).isEqualTo(2);
    assertThat(readReply()).isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(events.dropped).containsExactly("tcp-query-limit");
  }

  @Test
  void waitsForPendingRepliesBeforeClosingAtTheQueryLimit() {
    CompletableFuture<Message> upstream = new CompletableFuture<>();
    QueryProcessor slow = new QueryProcessor(request -> upstream, events);
    channel.finishAndReleaseAll();
    channel = new TcpTestChannel(new TcpChannelInitializer(slow, IDLE, 10, 1));

    byte[] wire = framedQuery(9);
    channel.writeInbound(Unpooled.wrappedBuffer(wire));
    assertThat(channel.isOpen()).isTrue();

    Message query = parse(Arrays.copyOfRange(wire, 2, wire.length));
    upstream.complete(TestMessages.addressReply(
        new DnsRequest(query, new InetSocketAddress("127.0.0.1", 1), true, 0), 1));
    channel.runPendingTasks();

    assertThat(readReply().getHeader().getID()).isEqualTo(9);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void tcpRepliesAreNotQueuedWhileTheClientDoesNotReadThem() {
    // A reply that fills the send buffer: the channel turns unwritable once query 2 is answered.
    List<Integer> resolved = new ArrayList<>();
    QueryProcessor filling = new QueryProcessor(request -> {
      int id = request.query().getHeader().getID();
      resolved.add(id);
      if (id == 2) {
        setWritable(false);
      }
      return CompletableFuture.completedFuture(TestMessages.addressReply(request, 1));
    }, events);
    channel.finishAndReleaseAll();
    channel = new TcpTestChannel(new TcpChannelInitializer(filling, IDLE, 10, 128));

    channel.writeInbound(Unpooled.wrappedBuffer(
        concat(concat(concat(framedQuery(1), framedQuery(2)), framedQuery(3)), framedQuery(4))));

    assertThat(resolved).as("queries answered while the client reads nothing").containsExactly(1, 2);
    assertThat(channel.config().isAutoRead()).isFalse();
    assertThat(readReply().getHeader().getID()).isEqualTo(1);
    assertThat(readReply().getHeader().getID()).isEqualTo(2);
    assertThat(readReply()).isNull();

    setWritable(true);

    assertThat(resolved).containsExactly(1, 2, 3, 4);
    assertThat(readReply().getHeader().getID()).isEqualTo(3);
    assertThat(readReply().getHeader().getID()).isEqualTo(4);
    assertThat(channel.config().isAutoRead()).isTrue();
    assertThat(events.dropped).isEmpty();
  }

  @Test
  void closesAtTheQueryLimitOnlyOnceHeldQueriesAreAnswered() {
    channel.finishAndReleaseAll();
    channel = new TcpTestChannel(initializer(10, 2));
    setWritable(false);

    channel.writeInbound(Unpooled.wrappedBuffer(concat(framedQuery(1), framedQuery(2))));
    assertThat(channel.isOpen()).isTrue();
    setWritable(true);

    assertThat(readReply().getHeader().getID()).isEqualTo(1);
    assertThat(readReply().getHeader().getID()).isEqualTo(2);
    assertThat(channel.isOpen()).isFalse();
  }

  /** Makes the channel (un)writable as a full or drained send buffer would. */
  private void setWritable(boolean writable) {
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
    if (writable) {
      channel.runPendingTasks(); // the writability event is fired from a task
    }
  }

  @Test
  void refusesConnectionsBeyondTheCapAndAcceptsAgainOnceOneCloses() {
    TcpChannelInitializer shared = initializer(1, 128);
    EmbeddedChannel first = new TcpTestChannel(shared);
    EmbeddedChannel second = new TcpTestChannel(shared);

    assertThat(first.isOpen()).isTrue();
    assertThat(second.isOpen()).isFalse();
    assertThat(events.refusedConnections).hasValue(1);

    first.close();
    EmbeddedChannel third = new TcpTestChannel(shared);
    assertThat(third.isOpen()).isTrue();
    first.finishAndReleaseAll();
    second.finishAndReleaseAll();
    third.finishAndReleaseAll();
  }
}
