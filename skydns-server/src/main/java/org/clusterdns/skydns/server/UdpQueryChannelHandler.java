package org.clusterdns.skydns.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers each datagram on a UDP socket through the {@link QueryProcessor}, sending the reply, if
 * any, from the same socket to the sender.
 *
 * <p>Replies ready while a batch of datagrams is being read are written without a flush and
 * flushed once when the batch is done, so that the epoll transport sends them with one
 * {@code sendmmsg} call instead of one system call per reply; when the unflushed replies pass the
 * channel's high-water mark, they are flushed early. Replies that complete later (upstream
 * answers) are flushed at once. A reply is dropped only when the socket itself cannot take more.
 *
 * @implNote One instance per channel: the batching state belongs to the channel's event loop.
 */
final class UdpQueryChannelHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger log = LoggerFactory.getLogger(UdpQueryChannelHandler.class);

  private final QueryProcessor processor;
  private boolean reading;
  private boolean flushPending;

  /** Creates a handler answering through {@code processor}. */
  UdpQueryChannelHandler(QueryProcessor processor) {
    this.processor = processor;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    byte[] wire = ByteBufUtil.getBytes(packet.content());
    InetSocketAddress sender = packet.sender();
    reading = true;
    try {
      processor.process(wire, sender, false).thenAccept(reply -> send(ctx, reply, sender));
    } finally {
      reading = false;
    }
  }

  private void send(ChannelHandlerContext ctx, byte[] reply, InetSocketAddress sender) {
    if (reply == null) {
      return;
    }
    if (!ctx.channel().isWritable() && flushPending) {
      // The batch's own unflushed replies may be all that is over the high-water mark.
      flushPending = false;
      ctx.flush();
    }
    // A full send buffer means replies would queue in memory without bound; UDP may lose them.
    if (!ctx.channel().isWritable()) {
      processor.events().queryDropped("udp-send-buffer-full");
      return;
    }
    DatagramPacket datagram = new DatagramPacket(Unpooled.wrappedBuffer(reply), sender);
    if (reading && ctx.executor().inEventLoop()) {
      ctx.write(datagram, ctx.voidPromise());
      flushPending = true;
    } else {
      ctx.writeAndFlush(datagram, ctx.voidPromise());
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Never close: the socket serves every UDP client.
    log.warn("UDP listener {}: {}", ctx.channel().localAddress(), cause.toString());
  }
}
