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
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the framed queries of one TCP connection through the {@link QueryProcessor}. Queries may
 * be pipelined; replies are written in the order they complete. The connection is closed when it
 * has been idle too long (an {@link IdleStateEvent}) and after its last allowed query is answered.
 *
 * <p>While the channel is not writable (the client does not read its replies), reading stops and
 * queries already decoded are held, unanswered, until it is writable again: the replies queued
 * for one connection stay near Netty's high-water mark instead of growing by one reply per
 * pipelined query. The held queries are bounded by the per-connection query limit.
 *
 * <p>One instance per connection. Its state is touched only on the connection's event loop.
 */
final class TcpQueryChannelHandler extends SimpleChannelInboundHandler<ByteBuf> {
  private static final Logger log = LoggerFactory.getLogger(TcpQueryChannelHandler.class);

  private final QueryProcessor processor;
  private final int maxQueries;
  /** Decoded queries not answered yet because the client was not reading its replies. */
  private final ArrayDeque<byte[]> held = new ArrayDeque<>();
  private int received;
  private int pending;
  private boolean answering;
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
    if (received == maxQueries) {
      ctx.channel().config().setAutoRead(false);
    }
    held.add(ByteBufUtil.getBytes(frame));
    answerHeld(ctx);
  }

  /** Answers held queries, in order, while the channel takes more output. */
  private void answerHeld(ChannelHandlerContext ctx) {
    if (answering) {
      return; // a write inside the loop below made the channel writable again: the loop goes on
    }
    answering = true;
    try {
      while (!held.isEmpty() && ctx.channel().isWritable()) {
        answer(ctx, held.poll());
      }
    } finally {
      answering = false;
    }
  }

  private void answer(ChannelHandlerContext ctx, byte[] wire) {
    pending++;
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
    if (received == maxQueries && pending == 0 && held.isEmpty()) {
      if (lastWrite != null) {
        lastWrite.addListener(ChannelFutureListener.CLOSE);
      } else {
        ctx.close();
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    boolean writable = ctx.channel().isWritable();
    // A client that does not read its replies stops being read from, so they cannot pile up.
    ctx.channel().config().setAutoRead(writable && received < maxQueries);
    if (writable) {
      answerHeld(ctx);
    }
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
