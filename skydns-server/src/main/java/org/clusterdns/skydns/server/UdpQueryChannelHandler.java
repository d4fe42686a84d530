package org.clusterdns.skydns.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers each datagram on a UDP socket through the {@link QueryProcessor}, sending the reply, if
 * any, from the same socket to the sender.
 */
@ChannelHandler.Sharable
final class UdpQueryChannelHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger log = LoggerFactory.getLogger(UdpQueryChannelHandler.class);

  private final QueryProcessor processor;

  /** Creates a handler answering through {@code processor}. */
  UdpQueryChannelHandler(QueryProcessor processor) {
    this.processor = processor;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    byte[] wire = ByteBufUtil.getBytes(packet.content());
    InetSocketAddress sender = packet.sender();
    processor.process(wire, sender, false).thenAccept(reply -> {
      if (reply == null) {
        return;
      }
      // A full send buffer means replies would queue in memory without bound; UDP may lose them.
      if (!ctx.channel().isWritable()) {
        processor.events().queryDropped("udp-send-buffer-full");
        return;
      }
      ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), sender), ctx.voidPromise());
    });
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Never close: the socket serves every UDP client.
    log.warn("UDP listener {}: {}", ctx.channel().localAddress(), cause.toString());
  }
}
