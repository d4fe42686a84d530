package org.clusterdns.skydns.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up each accepted TCP connection: refuses it when the connection cap is reached, otherwise
 * builds the pipeline 2-byte frame decoder, idle timer, 2-byte length prepender, query handler.
 *
 * <p>Deadlines: the idle timer sits after the frame decoder, so it is reset only by a whole query
 * or a reply written, never by a partial frame; a client dribbling a byte at a time must complete
 * a frame within the idle timeout of the last one. Whatever the traffic, a connection is closed
 * {@value #MAX_LIFETIME_MINUTES} minutes after it was accepted (queries still in flight are lost;
 * clients open a new connection).
 */
@ChannelHandler.Sharable
final class TcpChannelInitializer extends ChannelInitializer<Channel> {
  /** The largest frame: any 16-bit length plus the 2-byte length field itself. */
  private static final int MAX_FRAME_BYTES = 65535 + 2;
  /** The longest a connection stays open, so that a busy one cannot be held forever. */
  private static final int MAX_LIFETIME_MINUTES = 2;

  private static final Logger log = LoggerFactory.getLogger(TcpChannelInitializer.class);
  private static final LengthFieldPrepender FRAME_PREPENDER = new LengthFieldPrepender(2);

  private final QueryProcessor processor;
  private final long idleTimeoutMillis;
  private final int maxConnections;
  private final int maxQueriesPerConnection;
  private final AtomicInteger openConnections = new AtomicInteger();

  /**
   * Creates an initializer for connections answered through {@code processor}.
   *
   * @param idleTimeout how long a connection may go without a whole query read or a reply written
   * @param maxConnections how many connections may be open at once
   * @param maxQueriesPerConnection how many queries one connection may carry
   */
  TcpChannelInitializer(QueryProcessor processor, Duration idleTimeout, int maxConnections,
      int maxQueriesPerConnection) {
    this.processor = processor;
    this.idleTimeoutMillis = idleTimeout.toMillis();
    this.maxConnections = maxConnections;
    this.maxQueriesPerConnection = maxQueriesPerConnection;
  }

  @Override
  protected void initChannel(Channel channel) {
    if (openConnections.incrementAndGet() > maxConnections) {
      openConnections.decrementAndGet();
      processor.events().tcpConnectionRefused();
      log.debug("refusing TCP connection from {}: {} connections open", channel.remoteAddress(),
          maxConnections);
      channel.close();
      return;
    }
    Future<?> expiry = channel.eventLoop().schedule(() -> {
      log.debug("closing TCP connection from {}: open for {} minutes", channel.remoteAddress(),
          MAX_LIFETIME_MINUTES);
      channel.close();
    }, MAX_LIFETIME_MINUTES, TimeUnit.MINUTES);
    channel.closeFuture().addListener(closed -> {
      openConnections.decrementAndGet();
      expiry.cancel(false);
    });
    channel.pipeline()
        .addLast("frameDecoder", new LengthFieldBasedFrameDecoder(MAX_FRAME_BYTES, 0, 2, 0, 2))
        .addLast("idle", new IdleStateHandler(0, 0, idleTimeoutMillis, TimeUnit.MILLISECONDS))
        .addLast("framePrepender", FRAME_PREPENDER)
        .addLast("query", new TcpQueryChannelHandler(processor, maxQueriesPerConnection));
  }
}
