package org.clusterdns.skydns.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.clusterdns.process.flags.ConfigException;
import org.clusterdns.process.flags.GoSyntax;
import org.clusterdns.process.flags.ReadableFiles;
import org.clusterdns.records.EtcdPath;
import org.clusterdns.records.IpLiterals;

/**
 * Reads one setting's text into its value, or throws a {@link ConfigException} naming the
 * setting ({@code source}: a flag, an environment variable or an etcd key) and the text.
 */
final class Parsers {
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_-]{1,63}");
  private static final Pattern METRIC_NAME_PART = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern HTTP_PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");

  private Parsers() {}

  /**
   * Reads a domain name of letters, digits, {@code -} and {@code _} labels, made absolute; the
   * empty text stays empty (unset). Escapes, wildcards, spaces and slashes would not survive the
   * mapping to etcd keys, so they are refused.
   */
  static String name(String source, String value) {
    if (value.isEmpty()) {
      return value;
    }
    String absolute = value.endsWith(".") ? value : value + ".";
    String problem = nameProblem(absolute);
    if (problem != null) {
      throw ConfigException.invalid(source, value, problem);
    }
    return absolute;
  }

  /** Returns why an absolute name is refused, or null when it is fine. */
  private static String nameProblem(String absolute) {
    if (absolute.length() > 254) {
      return "a domain name has at most 253 characters";
    }
    for (String label : absolute.substring(0, absolute.length() - 1).split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return "not a domain name (labels of 1-63 letters, digits, '-' or '_', separated by dots)";
      }
    }
    return null;
  }

  /**
   * Reads {@code ip:port} as Go's {@code net.SplitHostPort} splits it: a literal IP (IPv6 in
   * brackets) and a decimal port from {@code minPort} to 65535. Host names are refused: nothing here
   * may depend on a resolver.
   */
  static InetSocketAddress hostPort(String source, String value, int minPort) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw ConfigException.invalid(source, value, "expected ip:port");
    }
    String host = value.substring(0, colon);
    String port = value.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
      if (host.indexOf(':') < 0) {
        throw ConfigException.invalid(source, value, "brackets are for IPv6 addresses only");
      }
    } else if (host.indexOf(':') >= 0) {
      throw ConfigException.invalid(source, value, "an IPv6 address needs brackets: [ip]:port");
    }
    Optional<InetAddress> address = IpLiterals.parse(host);
    if (address.isEmpty()) {
      throw ConfigException.invalid(source, value, "'" + host + "' is not a literal IP address");
    }
    int number;
    try {
      number = port.matches("[0-9]{1,5}") ? Integer.parseInt(port) : -1;
    } catch (NumberFormatException e) {
      number = -1;
    }
    if (number < minPort || number > 65535) {
      throw ConfigException.invalid(source, value, "port must be a number from " + minPort + " to 65535");
    }
    return new InetSocketAddress(address.get(), number);
  }

  /** Reads a comma-separated list of {@code ip:port} (ports 1-65535); blank items are skipped. */
  static List<InetSocketAddress> hostPorts(String source, String value) {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        addresses.add(hostPort(source, item.strip(), 1));
      }
    }
    return List.copyOf(addresses);
  }

  /** Reads a boolean in Go's syntax. */
  static boolean bool(String source, String value) {
    try {
      return GoSyntax.parseBool(value);
    } catch (IllegalArgumentException e) {
      throw ConfigException.invalid(source, value, e.getMessage());
    }
  }

  /** Reads a decimal integer from {@code min} to {@code max}. */
  static long integer(String source, String value, long min, long max) {
    long number;
    try {
      number = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ConfigException.invalid(source, value, "not a decimal integer");
    }
    return inRange(source, value, number, min, max);
  }

  /** Checks that {@code number} lies from {@code min} to {@code max}. */
  static long inRange(String source, String value, long number, long min, long max) {
    if (number < min || number > max) {
      throw ConfigException.invalid(source, value, "must be from " + min + " to " + max);
    }
    return number;
  }

  /** Reads a non-negative duration in Go's syntax ({@code 2s}, {@code 500ms}, {@code 1m30s}). */
  static Duration duration(String source, String value) {
    Duration duration;
    try {
      duration = GoSyntax.parseDuration(value);
    } catch (IllegalArgumentException e) {
      throw ConfigException.invalid(source, value, e.getMessage());
    }
    if (duration.isNegative()) {
      throw ConfigException.invalid(source, value, "must not be negative");
    }
    return duration;
  }

  /** Reads a comma-separated list of etcd URLs: {@code http} or {@code https}, with a host; at least one. */
  static List<URI> endpoints(String source, String value) {
    List<URI> endpoints = new ArrayList<>();
    for (String item : value.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      URI uri;
      try {
        uri = new URI(item.strip());
      } catch (URISyntaxException e) {
        throw ConfigException.invalid(source, value, "'" + item.strip() + "' is not a URL");
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw ConfigException.invalid(source, value,
            "'" + item.strip() + "' is not an http:// or https:// URL with a host");
      }
      endpoints.add(uri);
    }
    if (endpoints.isEmpty()) {
      throw ConfigException.invalid(source, value, "at least one etcd endpoint is needed");
    }
    return List.copyOf(endpoints);
  }

  /** Reads the path of a file that must be readable now; empty text means none. */
  static Optional<Path> readableFile(String source, String value) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(ReadableFiles.require(source, value));
  }

  /** Reads the hostmaster: an e-mail address or a name, with every {@code @} made a dot. */
  static String hostmaster(String source, String value) {
    if (value.isEmpty()) {
      return value;
    }
    String name = value.replace('@', '.');
    String absolute = name.endsWith(".") ? name : name + ".";
    String problem = nameProblem(absolute);
    if (problem != null) {
      throw ConfigException.invalid(source, value, problem);
    }
    return absolute;
  }

  /**
   * Reads a DNSSEC key base name and checks that {@code <base>.key} and {@code <base>.private} are
   * readable; empty text means no signing. Loading the key is left to the signer.
   */
  static String dnssecKey(String source, String value) {
    if (!value.isEmpty()) {
      readableFile(source, value + ".key");
      readableFile(source, value + ".private");
    }
    return value;
  }

  /** Reads the etcd path prefix, one path segment; surrounding slashes are dropped. */
  static String pathPrefix(String source, String value) {
    try {
      return new EtcdPath(value).prefix();
    } catch (IllegalArgumentException e) {
      throw ConfigException.invalid(source, value, "must be one non-empty path segment such as skydns");
    }
  }

  /** Reads a metric name part: a letter or {@code _}, then letters, digits or {@code _}. */
  static String metricNamePart(String source, String value) {
    if (!METRIC_NAME_PART.matcher(value).matches()) {
      throw ConfigException.invalid(source, value, "must be letters, digits and '_', not starting with a digit");
    }
    return value;
  }

  /** Reads an HTTP path for the metrics: starts with {@code /}, and is not a health endpoint. */
  static String httpPath(String source, String value) {
    if (!HTTP_PATH.matcher(value).matches()) {
      throw ConfigException.invalid(source, value, "must be an HTTP path such as /metrics");
    }
    if (value.equals("/healthz") || value.equals("/readyz")) {
      throw ConfigException.invalid(source, value, "is taken by the health endpoints");
    }
    return value;
  }
}
