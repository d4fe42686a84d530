package org.clusterdns.skydns.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A small upstream nameserver for tests, on 127.0.0.1 with one port for UDP and TCP: it answers
 * from records given as zone-file lines, following CNAMEs among them as a recursive resolver
 * would (NXDOMAIN for other names), and can be told to behave
 * badly — answer late, hold replies until released, never answer, truncate every UDP reply,
 * answer SERVFAIL or REFUSED. It
 * keeps every query it received, so tests can check what was sent upstream and how often.
 *
 * <p>Replies are recursive-resolver style: RA set, AA clear, RD copied, the question echoed, and
 * an OPT record when the query had one.
 */
public final class TestNameserver implements AutoCloseable {
  /** How the server treats queries; can be changed while it runs. */
  public enum Behaviour {
    /** Answer at once. */
    ANSWER,
    /** Answer after {@link #delay(Duration)}. */
    SLOW,
    /**
     * Keep every reply until {@link #release()}: a test decides when answers arrive, so what it
     * does meanwhile cannot race them however slow the machine.
     */
    HELD,
    /** Never answer. */
    SILENT,
    /** Over UDP answer with TC set and no records; over TCP answer in full. */
    TRUNCATE,
    /** Answer SERVFAIL. */
    SERVFAIL,
    /** Answer REFUSED. */
    REFUSED
  }

  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final Map<String, List<Record>> records = new ConcurrentHashMap<>();
  private final List<Message> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger tcpQueries = new AtomicInteger();
  private final ScheduledExecutorService delayed = Executors.newSingleThreadScheduledExecutor(daemon("delay"));
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final List<Runnable> held = new ArrayList<>();
  private volatile Behaviour behaviour = Behaviour.ANSWER;
  private volatile Duration delay = Duration.ofSeconds(10);
  private volatile Function<Message, byte[]> rawReplies;

  private TestNameserver(DatagramSocket udp, ServerSocket tcp) {
    this.udp = udp;
    this.tcp = tcp;
    daemon("udp").newThread(this::serveUdp).start();
    daemon("tcp").newThread(this::serveTcp).start();
  }

  /** Starts a server on a free loopback port holding the records of {@code zoneLines}. */
  public static TestNameserver start(String... zoneLines) {
    for (int attempt = 0; ; attempt++) {
      DatagramSocket udp = null;
      try {
        udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ServerSocket tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort()));
        TestNameserver server = new TestNameserver(udp, tcp);
        server.add(zoneLines);
        return server;
      } catch (BindException e) {
        udp.close(); // the TCP port was taken: try another UDP port
        if (attempt > 20) {
          throw new UncheckedIOException(e);
        }
      } catch (IOException e) {
        if (udp != null) {
          udp.close();
        }
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Adds records, one zone-file line each ({@code www.example.org. 300 IN A 192.0.2.1}). */
  public TestNameserver add(String... zoneLines) {
    for (Record record : DnsAssertions.parse(List.of(zoneLines))) {
      records.computeIfAbsent(key(record.getName(), record.getType()), key -> new CopyOnWriteArrayList<>())
          .add(record);
    }
    return this;
  }

  /** Sets how the server treats the following queries. */
  public TestNameserver behave(Behaviour behaviour) {
    this.behaviour = behaviour;
    return this;
  }

  /**
   * Sends the replies {@link Behaviour#HELD} kept back, and answers the following queries at once
   * ({@link Behaviour#ANSWER}).
   */
  public TestNameserver release() {
    List<Runnable> replies;
    synchronized (held) {
      behaviour = Behaviour.ANSWER;
      replies = new ArrayList<>(held);
      held.clear();
    }
    replies.forEach(Runnable::run);
    return this;
  }

  /** Sets how long a {@link Behaviour#SLOW} server waits before answering. */
  public TestNameserver delay(Duration delay) {
    this.delay = delay;
    return this;
  }

  /**
   * Answers every following query with the bytes {@code raw} makes of it, whatever they are:
   * for replies a well-behaved server would never send. {@code null} goes back to normal replies.
   */
  public TestNameserver replyBytes(Function<Message, byte[]> raw) {
    this.rawReplies = raw;
    return this;
  }

  /** Returns the address of both listeners. */
  public InetSocketAddress address() {
    return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
  }

  /** Returns {@code 127.0.0.1:<port>}, as flags take it. */
  public String hostPort() {
    return udp.getLocalAddress().getHostAddress() + ":" + udp.getLocalPort();
  }

  /** Returns every query received so far, over both transports, in arrival order. */
  public List<Message> received() {
    return new ArrayList<>(received);
  }

  /** Returns how many queries were received for {@code name} (any case) and {@code type}. */
  public long receivedFor(String name, int type) {
    Name asked = Name.fromConstantString(name);
    return received.stream().filter(query -> query.getQuestion() != null
        && query.getQuestion().getName().equals(asked) && query.getQuestion().getType() == type).count();
  }

  /** Returns how many queries came over TCP. */
  public int tcpQueries() {
    return tcpQueries.get();
  }

  @Override
  public void close() {
    udp.close();
    try {
      tcp.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
    for (Socket connection : connections) {
      try {
        connection.close();
      } catch (IOException e) {
        // closing: nothing left to do
      }
    }
    delayed.shutdownNow();
  }

  private void serveUdp() {
    byte[] buffer = new byte[65535];
    while (!udp.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        udp.receive(packet);
      } catch (IOException e) {
        return; // closed
      }
      InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
      byte[] wire = Arrays.copyOf(packet.getData(), packet.getLength());
      respond(wire, false, reply -> {
        try {
          udp.send(new DatagramPacket(reply, reply.length, client));
        } catch (IOException e) {
          // the client went away or the server closed: a lost reply is what UDP allows
        }
      });
    }
  }

  private void serveTcp() {
    while (!tcp.isClosed()) {
      Socket connection;
      try {
        connection = tcp.accept();
      } catch (IOException e) {
        return; // closed
      }
      connections.add(connection);
      daemon("tcp-connection").newThread(() -> serveConnection(connection)).start();
    }
  }

  private void serveConnection(Socket connection) {
    try (connection) {
      DataInputStream in = new DataInputStream(connection.getInputStream());
      DataOutputStream out = new DataOutputStream(connection.getOutputStream());
      while (true) {
        byte[] wire = new byte[in.readUnsignedShort()];
        in.readFully(wire);
        tcpQueries.incrementAndGet();
        respond(wire, true, reply -> {
          synchronized (out) {
            try {
              out.writeShort(reply.length);
              out.write(reply);
              out.flush();
            } catch (IOException e) {
              // the client closed the connection
            }
          }
        });
      }
    } catch (EOFException | SocketException e) {
      // the client or close() ended the connection
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void respond(byte[] wire, boolean overTcp, Consumer<byte[]> send) {
    Message query;
    try {
      query = new Message(wire);
    } catch (IOException | RuntimeException e) {
      return; // not DNS: a real server would drop it too
    }
    received.add(query);
    Function<Message, byte[]> raw = rawReplies;
    if (raw != null) {
      send.accept(raw.apply(query));
      return;
    }
    Behaviour now = behaviour;
    switch (now) {
      case SILENT:
        return;
      case SLOW:
        delayed.schedule(() -> send.accept(reply(query, Behaviour.ANSWER, overTcp).toWire()),
            delay.toMillis(), TimeUnit.MILLISECONDS);
        return;
      case HELD:
        synchronized (held) {
          // Checked again under the lock: a query that raced release() is answered at once.
          if (behaviour == Behaviour.HELD) {
            held.add(() -> send.accept(reply(query, Behaviour.ANSWER, overTcp).toWire()));
            return;
          }
        }
        send.accept(reply(query, Behaviour.ANSWER, overTcp).toWire());
        return;
      default:
        send.accept(reply(query, now, overTcp).toWire());
    }
  }

  private Message reply(Message query, Behaviour now, boolean overTcp) {
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.RA);
    if (query.getHeader().getFlag(Flags.RD)) {
      reply.getHeader().setFlag(Flags.RD);
    }
    Record question = query.getQuestion();
    if (question != null) {
      reply.addRecord(question, Section.QUESTION);
    }
    if (query.getOPT() != null) {
      reply.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    if (now == Behaviour.SERVFAIL || now == Behaviour.REFUSED) {
      reply.getHeader().setRcode(now == Behaviour.SERVFAIL ? Rcode.SERVFAIL : Rcode.REFUSED);
      return reply;
    }
    if (now == Behaviour.TRUNCATE && !overTcp) {
      reply.getHeader().setFlag(Flags.TC);
      return reply;
    }
    if (question == null) {
      return reply;
    }
    // Like a recursive resolver: follow CNAMEs within the records it knows.
    Name name = question.getName();
    for (int hops = 0; hops < 8; hops++) {
      List<Record> answer = records.get(key(name, question.getType()));
      if (answer != null) {
        answer.forEach(record -> reply.addRecord(record, Section.ANSWER));
        return reply;
      }
      List<Record> alias = records.get(key(name, Type.CNAME));
      if (alias == null || question.getType() == Type.CNAME) {
        break;
      }
      reply.addRecord(alias.get(0), Section.ANSWER);
      name = ((CNAMERecord) alias.get(0)).getTarget();
    }
    String owner = name.toString().toLowerCase(Locale.ROOT) + " ";
    if (records.keySet().stream().noneMatch(key -> key.startsWith(owner))) {
      reply.getHeader().setRcode(Rcode.NXDOMAIN);
    }
    return reply;
  }

  private static String key(Name name, int type) {
    return name.toString().toLowerCase(Locale.ROOT) + " " + Type.string(type);
  }

  private static ThreadFactory daemon(String purpose) {
    return runnable -> {
      Thread thread = new Thread(runnable, "test-nameserver-" + purpose);
      thread.setDaemon(true);
      return thread;
    };
  }
}
