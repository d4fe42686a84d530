import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Prints N loopback ports that are free for both TCP and UDP, one per line (scripts run it with
 * `java scripts/FreePorts.java N`). A preferred port given as the second argument is printed first
 * when it is free.
 */
public final class FreePorts {
  public static void main(String[] args) throws IOException {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int preferred = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    InetAddress loopback = InetAddress.getLoopbackAddress();
    if (preferred > 0 && isFree(loopback, preferred)) {
      System.out.println(preferred);
      count--;
    }
    while (count > 0) {
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
        port = probe.getLocalPort();
      }
      if (port != preferred && isFree(loopback, port)) {
        System.out.println(port);
        count--;
      }
    }
  }

  private static boolean isFree(InetAddress address, int port) {
    try (ServerSocket tcp = new ServerSocket()) {
      tcp.bind(new InetSocketAddress(address, port));
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port))) {
        return true;
      }
    } catch (IOException e) {
      return false;
    }
  }
}
