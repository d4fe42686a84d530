package org.clusterdns.kube2sky;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.clusterdns.skydns.testing.Dig;
import org.clusterdns.skydns.testing.DnsAssertions;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Asks a reverse question the way an operator does, {@code dig -x <ip>}, and reads the header
 * and answer section dig prints back into a message. ({@link Dig} asks for a name and a type.)
 */
final class DigReverse {
  private DigReverse() {}

  /** Returns what {@code dig -x ip} over UDP printed: rcode, flags, the PTR question and the answer. */
  static Message ask(InetSocketAddress server, String ip) {
    List<String> command = List.of(Dig.BINARY.toString(), "-p", String.valueOf(server.getPort()),
        "@" + server.getAddress().getHostAddress(), "+notcp", "+time=5", "+tries=1", "+noall", "+comments",
        "+answer", "-x", ip);
    String output = run(command);
    Message reply = new Message();
    reply.addRecord(Record.newRecord(reverseName(ip), Type.PTR, DClass.IN), Section.QUESTION);
    boolean sawHeader = false;
    for (String raw : output.split("\n")) {
      String line = raw.strip();
      if (line.startsWith(";; ->>HEADER<<-")) {
        reply.getHeader().setRcode(Rcode.value(line.replaceFirst(".*status: ([A-Z]+).*", "$1")));
        sawHeader = true;
      } else if (line.startsWith(";; flags:")) {
        String flags = line.substring(";; flags:".length(), line.indexOf(';', ";; flags:".length()));
        for (String flag : flags.trim().split("\\s+")) {
          reply.getHeader().setFlag(Flags.value(flag));
        }
      } else if (!line.isEmpty() && !line.startsWith(";")) {
        reply.addRecord(DnsAssertions.parse(List.of(line)).get(0), Section.ANSWER);
      }
    }
    if (!sawHeader) {
      throw new AssertionError(String.join(" ", command) + " printed no reply header:\n" + output);
    }
    return reply;
  }

  private static Name reverseName(String ip) {
    try {
      return ReverseMap.fromAddress(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + ip, e);
    }
  }

  private static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run dig", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running dig", e);
    }
  }
}
