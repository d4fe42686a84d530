package org.clusterdns.skydns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusterdns.skydns.server.TestMessages.parse;
import static org.clusterdns.skydns.server.TestMessages.query;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class UdpQueryChannelHandlerTest {
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 41000);

  private final RecordingEvents events = new RecordingEvents();
  private final EmbeddedChannel channel = new EmbeddedChannel(
      new UdpQueryChannelHandler(new QueryProcessor(TestMessages.oneAddress(), events)));

  @AfterEach
  void closeChannel() {
    channel.finishAndReleaseAll();
  }

  private DatagramPacket send(byte[] payload) {
    channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(payload), SERVER, CLIENT));
    return channel.readOutbound();
  }

  @Test
  void answersADatagramToItsSender() {
    DatagramPacket reply = send(query("web.skydns.local", Type.A).toWire());

    assertThat(reply.recipient()).isEqualTo(CLIENT);
    Message message = parse(ByteBufUtil.getBytes(reply.content()));
    assertThat(message.getHeader().getID()).isEqualTo(4242);
    assertThat(message.getRcode()).isEqualTo(Rcode.NOERROR);
    reply.release();
  }

  @Test
  void sendsNothingForADroppedDatagramAndStillAnswersTheNext() {
    assertThat(send(new byte[] {1, 2, 3})).isNull();

    DatagramPacket reply = send(query("web.skydns.local", Type.A).toWire());
    assertThat(reply).isNotNull();
    reply.release();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void repliesToOneReadBatchAreFlushedTogetherWhenTheBatchEnds() {
    channel.pipeline().fireChannelRead(packet(query("a.skydns.local", Type.A).toWire()));
    channel.pipeline().fireChannelRead(packet(query("b.skydns.local", Type.A).toWire()));
    assertThat((Object) channel.readOutbound()).as("nothing is sent before the batch ends").isNull();

    channel.pipeline().fireChannelReadComplete();

    DatagramPacket first = channel.readOutbound();
    DatagramPacket second = channel.readOutbound();
    assertThat(first).isNotNull();
    assertThat(second).isNotNull();
    first.release();
    second.release();
  }

  @Test
  void unflushedRepliesOfABatchPassingTheHighWaterMarkAreFlushedNotDropped() {
    // Each reply is about 50 bytes: the third unflushed one passes the high-water mark.
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(50, 100));
    int batch = 10;
    for (int i = 0; i < batch; i++) {
      channel.pipeline().fireChannelRead(packet(query("host" + i + ".skydns.local", Type.A).toWire()));
    }
    channel.pipeline().fireChannelReadComplete();

    assertThat(events.dropped).isEmpty();
    for (int i = 0; i < batch; i++) {
      DatagramPacket reply = channel.readOutbound();
      assertThat(reply).as("reply %d", i).isNotNull();
      assertThat(parse(ByteBufUtil.getBytes(reply.content())).getQuestion().getName().toString())
          .isEqualTo("host" + i + ".skydns.local.");
      reply.release();
    }
  }

  @Test
  void dropsRepliesWhenTheSocketItselfCannotTakeMore() {
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);

    assertThat(send(query("web.skydns.local", Type.A).toWire())).isNull();
    assertThat(events.dropped).containsExactly("udp-send-buffer-full");
  }

  @Test
  void aReplyThatCompletesAfterTheReadIsSentAtOnce() {
    CompletableFuture<Void> upstream = new CompletableFuture<>();
    EmbeddedChannel slow = new EmbeddedChannel(new UdpQueryChannelHandler(new QueryProcessor(
        request -> upstream.thenApply(ignored -> TestMessages.addressReply(request, 1)), events)));
    try {
      slow.writeInbound(packet(query("web.skydns.local", Type.A).toWire()));
      assertThat((Object) slow.readOutbound()).isNull();

      upstream.complete(null);

      DatagramPacket reply = slow.readOutbound();
      assertThat(reply).as("flushed without waiting for another read").isNotNull();
      reply.release();
    } finally {
      slow.finishAndReleaseAll();
    }
  }

  private static DatagramPacket packet(byte[] payload) {
    return new DatagramPacket(Unpooled.wrappedBuffer(payload), SERVER, CLIENT);
  }
}
