package org.clusterdns.skydns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the framed queries of one TCP connection through the {@link QueryProcessor}. Queries may
 * be pipelined; replies are written in the order they complete. The connection is closed when it
 * has been idle too long (an {@link IdleStateEvent}) and after its last allowed query is answered.
 *
 * <p>One instance per connection. Its state is touched only on the connection's event loop.
 */
final class TcpQueryChannelHandler extends SimpleChannelInboundHandler<ByteBuf> {
  private static final Logger log = LoggerFactory.getLogger(TcpQueryChannelHandler.class);

  private final QueryProcessor processor;
  private final int maxQueries;
  private int received;
  private int pending;
  private ChannelFuture lastWrite;

  /** Creates a handler answering through {@code processor} at most {@code maxQueries} queries. */
  TcpQueryChannelHandler(QueryProcessor processor, int maxQueries) {
    this.processor = processor;
    this.maxQueries = maxQueries;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    if (received == maxQueries) {
      // Already decoded from the same read as the last allowed query.
      processor.events().queryDropped("tcp-query-limit");
      return;
    }
    received++;
    pending++;
    if (received == maxQueries) {
      ctx.channel().config().setAutoRead(false);
    }
    byte[] wire = ByteBufUtil.getBytes(frame);
    InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
    processor.process(wire, client, true).thenAccept(reply -> {
      if (ctx.executor().inEventLoop()) {
        replied(ctx, reply);
      } else {
        ctx.executor().execute(() -> replied(ctx, reply));
      }
    });
  }

  private void replied(ChannelHandlerContext ctx, byte[] reply) {
    pending--;
    if (reply != null && ctx.channel().isActive()) {
      lastWrite = ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
    }
    if (received == maxQueries && pending == 0) {
      if (lastWrite != null) {
        lastWrite.addListener(ChannelFutureListener.CLOSE);
      } else {
        ctx.close();
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // A client that does not read its replies stops being read from, so they cannot pile up.
    ctx.channel().config().setAutoRead(ctx.channel().isWritable() && received < maxQueries);
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      log.debug("closing idle TCP connection from {}", ctx.channel().remoteAddress());
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing TCP connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
