package org.clusterdns.skydns.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clusterdns.process.flags.ConfigException;
import org.clusterdns.records.IpLiterals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the {@code nameserver} lines of a resolv.conf file: SkyDNS's default upstream servers. */
final class ResolvConf {
  private static final Logger LOG = LoggerFactory.getLogger(ResolvConf.class);
  private static final int DNS_PORT = 53;

  private ResolvConf() {}

  /**
   * Returns every {@code nameserver} of {@code file} with port 53, in order; none when the file
   * does not exist. Entries that are not plain IP literals (a zone id, a name) are skipped with a
   * warning, since one odd line should not stop the server.
   *
   * @throws ConfigException when the file exists but cannot be read
   */
  static List<InetSocketAddress> nameservers(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read the default nameservers: " + e.getMessage());
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String line : lines) {
      String[] words = line.strip().split("\\s+");
      if (words.length >= 2 && words[0].equals("nameserver")) {
        Optional<InetAddress> address = IpLiterals.parse(words[1]);
        if (address.isPresent()) {
          servers.add(new InetSocketAddress(address.get(), DNS_PORT));
        } else {
          LOG.warn("Skipped nameserver '{}' of {}: not a literal IP address", words[1], file);
        }
      }
    }
    return List.copyOf(servers);
  }
}
