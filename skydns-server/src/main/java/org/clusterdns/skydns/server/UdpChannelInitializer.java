package org.clusterdns.skydns.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/** Gives every UDP socket its own {@link UdpQueryChannelHandler}, whose batching state is per channel. */
final class UdpChannelInitializer extends ChannelInitializer<Channel> {
  private final QueryProcessor processor;

  /** Creates an initializer whose handlers answer through {@code processor}. */
  UdpChannelInitializer(QueryProcessor processor) {
    this.processor = processor;
  }

  @Override
  protected void initChannel(Channel channel) {
    channel.pipeline().addLast(new UdpQueryChannelHandler(processor));
  }
}
