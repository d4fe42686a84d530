package org.clusterdns.kube2sky.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Asks one DNS server for A records over UDP, one query at a time, on one connected socket: the
 * least overhead per poll, so that polling every millisecond measures the server, not the client.
 */
final class DnsProbe implements AutoCloseable {
  private static final int TIMEOUT_MILLIS = 200;

  private final DatagramSocket socket;
  private final byte[] buffer = new byte[4096];

  /** Opens a loopback socket connected to {@code server}. */
  DnsProbe(InetSocketAddress server) throws IOException {
    socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    socket.connect(server);
    socket.setSoTimeout(TIMEOUT_MILLIS);
  }

  /**
   * Returns the IPv4 addresses the server answers for {@code name}: empty for NXDOMAIN, an empty
   * answer, or no answer within 200 ms.
   */
  List<String> addresses(String name) throws IOException {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    byte[] wire = query.toWire();
    socket.send(new DatagramPacket(wire, wire.length));
    long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000L;
    while (System.nanoTime() < deadline) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (SocketTimeoutException | PortUnreachableException e) {
        // Unreachable: the server is not listening yet.
        return List.of();
      }
      Message response;
      try {
        response = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
      } catch (IOException | RuntimeException e) {
        continue;
      }
      // A late answer to an earlier query that timed out: skip it.
      if (response.getHeader().getID() != query.getHeader().getID()) {
        continue;
      }
      List<String> addresses = new ArrayList<>();
      for (Record record : response.getSection(Section.ANSWER)) {
        if (record instanceof ARecord a) {
          addresses.add(a.getAddress().getHostAddress());
        }
      }
      return addresses;
    }
    return List.of();
  }

  @Override
  public void close() {
    socket.close();
  }
}
