package org.clusterdns.skydns.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Asks a question with BIND's {@code dig} and reads its printed reply back into a dnsjava
 * {@link Message}, so that {@link DnsAssertions} can check what a real, independent client saw.
 *
 * <p>dig runs with its defaults (EDNS on, RD set) plus {@code +tcp} or {@code +notcp}, one try
 * and a short timeout. The message holds what dig prints: rcode, header flags, the question and
 * the records of the answer, authority and additional sections; the OPT pseudo-section is not a
 * record and is left out.
 */
public final class Dig {
  /** Where Debian's {@code bind9-dnsutils} installs dig. */
  public static final Path BINARY = Path.of("/usr/bin/dig");

  private static final long TIMEOUT_SECONDS = 20;

  private Dig() {}

  /** Returns whether dig is installed. */
  public static boolean available() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Asks {@code server} for {@code name} and {@code type} and returns the reply dig printed.
   *
   * @throws AssertionError when dig fails or gets no reply (its output is in the message)
   */
  public static Message ask(InetSocketAddress server, String name, int type, boolean tcp) {
    List<String> command = List.of(BINARY.toString(), "-p", String.valueOf(server.getPort()),
        "@" + server.getAddress().getHostAddress(), tcp ? "+tcp" : "+notcp", "+time=5", "+tries=1",
        "+noall", "+comments", "+question", "+answer", "+authority", "+additional",
        name, Type.string(type));
    String output = run(command);
    try {
      return parse(output);
    } catch (IllegalArgumentException | TextParseException e) {
      throw new AssertionError("cannot read the output of " + String.join(" ", command) + ":\n" + output, e);
    }
  }

  private static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish:\n" + output);
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running dig", e);
    }
  }

  /** Reads dig's {@code +comments +question +answer +authority +additional} output. */
  static Message parse(String output) throws TextParseException {
    Message reply = new Message();
    int section = -1;
    boolean sawHeader = false;
    for (String raw : output.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith(";; ->>HEADER<<-")) {
        String status = line.replaceFirst(".*status: ([A-Z]+).*", "$1");
        reply.getHeader().setRcode(Rcode.value(status));
        sawHeader = true;
      } else if (line.startsWith(";; flags:")) {
        String flags = line.substring(";; flags:".length(), line.indexOf(';', ";; flags:".length()));
        for (String flag : flags.trim().split("\\s+")) {
          if (!flag.isEmpty()) {
            reply.getHeader().setFlag(Flags.value(flag));
          }
        }
      } else if (line.endsWith("SECTION:")) {
        section = sectionOf(line);
      } else if (line.startsWith(";")) {
        if (section == Section.QUESTION) {
          String[] fields = line.substring(1).trim().split("\\s+");
          reply.addRecord(Record.newRecord(Name.fromString(fields[0]), Type.value(fields[2]),
              DClass.value(fields[1])), Section.QUESTION);
        }
      } else if (section == Section.ANSWER || section == Section.AUTHORITY || section == Section.ADDITIONAL) {
        reply.addRecord(DnsAssertions.parse(List.of(line)).get(0), section);
      } else {
        throw new IllegalArgumentException("unexpected line: " + line);
      }
    }
    if (!sawHeader) {
      throw new IllegalArgumentException("no reply header");
    }
    return reply;
  }

  private static int sectionOf(String line) {
    if (line.startsWith(";; QUESTION")) {
      return Section.QUESTION;
    }
    if (line.startsWith(";; ANSWER")) {
      return Section.ANSWER;
    }
    if (line.startsWith(";; AUTHORITY")) {
      return Section.AUTHORITY;
    }
    if (line.startsWith(";; ADDITIONAL")) {
      return Section.ADDITIONAL;
    }
    return -1; // the OPT pseudo-section: no records
  }
}
