package org.clusterdns.skydns.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.clusterdns.skydns.config.ListenConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS listeners: UDP and TCP on one address, answering through a {@link QueryProcessor}.
 *
 * <p>Uses epoll when the native transport is available and NIO otherwise. With epoll on a fixed
 * port, one UDP socket per event loop shares the port through SO_REUSEPORT so that the kernel
 * spreads datagrams over the loops; on port 0 (tests) or NIO a single UDP socket is used, because
 * any other same-user process setting SO_REUSEPORT (dig does) could join an ephemeral port's group.
 * On port 0, TCP binds first and UDP takes the same port number.
 *
 * <p>Life cycle: construct, {@link #start()}, {@link #close()}. Not restartable.
 */
public final class DnsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
  /** How often port 0 is tried when UDP finds the port TCP got already taken. */
  private static final int EPHEMERAL_BIND_ATTEMPTS = 5;
  /** Receive buffer per datagram: the largest DNS message, so that no query is cut short. */
  private static final int MAX_DATAGRAM_BYTES = 65535;
  /**
   * With epoll, the largest query read in a batch: datagrams are read with {@code recvmmsg}, up
   * to {@value #DATAGRAMS_PER_READ} per system call. Longer datagrams arrive cut and get FORMERR;
   * a query has one question and at most an OPT, far below this.
   */
  private static final int MAX_BATCHED_QUERY_BYTES = 4096;
  private static final int DATAGRAMS_PER_READ = 16;

  private final ListenConfig config;
  private final QueryProcessor processor;
  private final boolean epoll;
  private final List<Channel> udpChannels = new ArrayList<>();
  private EventLoopGroup group;
  private Channel tcpChannel;

  /** Creates a server for {@code config}, using epoll when it is available. */
  public DnsServer(ListenConfig config, QueryProcessor processor) {
    this(config, processor, Epoll.isAvailable());
  }

  /** Creates a server using epoll or NIO as told; lets tests cover the NIO path on Linux. */
  DnsServer(ListenConfig config, QueryProcessor processor, boolean epoll) {
    this.config = Objects.requireNonNull(config, "config");
    this.processor = Objects.requireNonNull(processor, "processor");
    this.epoll = epoll;
  }

  /**
   * Binds the UDP and TCP listeners and returns once both accept queries.
   *
   * @throws IllegalStateException when an address cannot be bound (already started, in use, ...)
   * @throws InterruptedException when interrupted while binding
   */
  public void start() throws InterruptedException {
    if (group != null) {
      throw new IllegalStateException("already started (a server is not restartable)");
    }
    IoHandlerFactory ioHandlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    group = new MultiThreadIoEventLoopGroup(config.eventLoops(), ioHandlers);
    try {
      if (config.address().getPort() == 0) {
        bindEphemeral();
      } else {
        tcpChannel = bindTcp(config.address()).channel();
        bindUdp(config.address(), epoll ? config.eventLoops() : 1);
      }
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
    String transport = epoll ? "epoll" : "nio";
    log.info("listening for DNS on udp {} ({}, {} socket(s))", udpAddress(), transport,
        udpChannels.size());
    log.info("listening for DNS on tcp {} ({}, idle timeout {}, at most {} connections)",
        tcpAddress(), transport, config.tcpIdleTimeout(), config.maxTcpConnections());
  }

  /** Returns the bound UDP address (with the real port when port 0 was asked for); after start. */
  public InetSocketAddress udpAddress() {
    return (InetSocketAddress) udpChannels.get(0).localAddress();
  }

  /** Returns the bound TCP address (with the real port when port 0 was asked for); after start. */
  public InetSocketAddress tcpAddress() {
    return (InetSocketAddress) tcpChannel.localAddress();
  }

  /** Stops listening, lets queued work finish, and releases the event loops. */
  @Override
  public void close() {
    if (group == null || group.isShuttingDown()) {
      return;
    }
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
    log.info("stopped the DNS listeners on {}", tcpChannel != null ? tcpAddress() : config.address());
  }

  private void bindEphemeral() throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      ChannelFuture tcp = bindTcp(config.address());
      InetSocketAddress sameport = new InetSocketAddress(config.address().getAddress(),
          ((InetSocketAddress) tcp.channel().localAddress()).getPort());
      ChannelFuture udp = udpBootstrap(false).bind(sameport).await();
      if (udp.isSuccess()) {
        tcpChannel = tcp.channel();
        udpChannels.add(udp.channel());
        return;
      }
      tcp.channel().close().await();
      if (attempt == EPHEMERAL_BIND_ATTEMPTS) {
        throw bindFailure("udp", sameport, udp);
      }
      log.debug("udp {} is taken, trying another port", sameport);
    }
  }

  private ChannelFuture bindTcp(InetSocketAddress address) throws InterruptedException {
    ChannelFuture bound = new ServerBootstrap()
        .group(group)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        // A restart must not wait for the previous process's connections to leave TIME_WAIT.
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new TcpChannelInitializer(processor, config.tcpIdleTimeout(),
            config.maxTcpConnections(), config.maxTcpQueriesPerConnection()))
        .bind(address)
        .await();
    if (!bound.isSuccess()) {
      throw bindFailure("tcp", address, bound);
    }
    return bound;
  }

  private void bindUdp(InetSocketAddress address, int sockets) throws InterruptedException {
    Bootstrap bootstrap = udpBootstrap(sockets > 1);
    for (int i = 0; i < sockets; i++) {
      // Each bind registers the new socket with the group's next event loop.
      ChannelFuture bound = bootstrap.bind(address).await();
      if (!bound.isSuccess()) {
        throw bindFailure("udp", address, bound);
      }
      udpChannels.add(bound.channel());
    }
  }

  private Bootstrap udpBootstrap(boolean reusePort) {
    Class<? extends DatagramChannel> channelClass =
        epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(channelClass)
        .handler(new UdpChannelInitializer(processor));
    if (epoll) {
      bootstrap
          .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_BATCHED_QUERY_BYTES)
          .option(ChannelOption.RCVBUF_ALLOCATOR,
              new FixedRecvByteBufAllocator(MAX_BATCHED_QUERY_BYTES * DATAGRAMS_PER_READ));
    } else {
      bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES));
    }
    if (reusePort) {
      bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
    }
    return bootstrap;
  }

  private static IllegalStateException bindFailure(String transport, InetSocketAddress address,
      ChannelFuture failed) {
    return new IllegalStateException(
        "cannot listen on " + transport + " " + address + ": " + failed.cause(), failed.cause());
  }
}
