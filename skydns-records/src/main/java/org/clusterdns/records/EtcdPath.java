package org.clusterdns.records;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Maps DNS names to etcd keys and back under one path prefix, as SkyDNS 2 does: labels reversed,
 * lower-cased, joined with {@code /} under {@code /<prefix>}.
 *
 * <p>{@code service.staging.skydns.local.} is stored at {@code /skydns/local/skydns/staging/service};
 * {@code 10.0.0.1} has its PTR data at {@code /skydns/arpa/in-addr/10/0/0/1}. The prefix is an
 * instance parameter, never global state. Instances are immutable and thread-safe.
 */
public final class EtcdPath {
  /** The prefix SkyDNS uses unless told otherwise. */
  public static final String DEFAULT_PREFIX = "skydns";

  private final String prefix;
  private final String root;

  /**
   * Creates the mapping for {@code prefix}, one path segment such as {@code skydns}; a leading or
   * trailing slash is tolerated.
   *
   * @throws IllegalArgumentException when the prefix is empty or has several segments
   */
  public EtcdPath(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    String trimmed = prefix;
    while (trimmed.startsWith("/")) {
      trimmed = trimmed.substring(1);
    }
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (trimmed.isEmpty() || trimmed.contains("/")) {
      throw new IllegalArgumentException(
          "path prefix must be one non-empty path segment, got '" + prefix + "'");
    }
    this.prefix = trimmed;
    this.root = "/" + trimmed;
  }

  /** Returns the prefix without slashes, such as {@code skydns}. */
  public String prefix() {
    return prefix;
  }

  /** Returns the key of the whole tree, such as {@code /skydns}. */
  public String root() {
    return root;
  }

  /** Returns the key of the configuration object, {@code /<prefix>/config}. */
  public String configKey() {
    return root + "/config";
  }

  /** Returns the key for {@code name}: lower-cased, labels reversed. The root name maps to {@link #root()}. */
  public String key(String name) {
    List<String> labels = labels(name.toLowerCase(Locale.ROOT));
    StringBuilder key = new StringBuilder(root.length() + name.length() + 2).append(root);
    for (int i = labels.size() - 1; i >= 0; i--) {
      key.append('/').append(labels.get(i));
    }
    return key.toString();
  }

  /**
   * Returns the absolute DNS name that {@code key} stands for: {@code /skydns/test/skydns/bar/x}
   * gives {@code x.bar.skydns.test.}. Case is kept as stored.
   *
   * @throws IllegalArgumentException when the key is not under this prefix
   */
  public String name(String key) {
    if (!isUnder(key)) {
      throw new IllegalArgumentException("key '" + key + "' is not under " + root);
    }
    String[] segments = key.substring(root.length()).split("/");
    StringBuilder name = new StringBuilder(key.length());
    for (int i = segments.length - 1; i >= 0; i--) {
      if (!segments[i].isEmpty()) {
        name.append(segments[i]).append('.');
      }
    }
    return name.length() == 0 ? "." : name.toString();
  }

  /** Returns whether {@code key} is the root or lies below it. */
  public boolean isUnder(String key) {
    return key.equals(root) || key.startsWith(root + "/");
  }

  /**
   * Returns the lookup form of {@code name}: the path up to the first wildcard label ({@code *} or
   * {@code any}) and the segments a matching key must have.
   */
  public Query query(String name) {
    List<String> labels = labels(name.toLowerCase(Locale.ROOT));
    String[] segments = new String[labels.size()];
    for (int i = 0; i < segments.length; i++) {
      segments[i] = labels.get(labels.size() - 1 - i);
    }
    StringBuilder path = new StringBuilder(root);
    boolean wildcard = false;
    for (String segment : segments) {
      if (isWildcardLabel(segment)) {
        wildcard = true;
        break;
      }
      path.append('/').append(segment);
    }
    return new Query(path.toString(), wildcard, segments, root.length());
  }

  /** Returns the key holding PTR data for {@code address} ({@code /skydns/arpa/in-addr/10/0/0/1}). */
  public String reverseKey(InetAddress address) {
    return key(reverseName(address));
  }

  /** Returns the reverse-lookup name of {@code address}, such as {@code 1.0.0.10.in-addr.arpa.}. */
  public static String reverseName(InetAddress address) {
    byte[] bytes = address.getAddress();
    StringBuilder name = new StringBuilder(80);
    if (address instanceof Inet4Address) {
      for (int i = bytes.length - 1; i >= 0; i--) {
        name.append(bytes[i] & 0xFF).append('.');
      }
      return name.append("in-addr.arpa.").toString();
    }
    for (int i = bytes.length - 1; i >= 0; i--) {
      name.append(Character.forDigit(bytes[i] & 0x0F, 16)).append('.');
      name.append(Character.forDigit((bytes[i] >> 4) & 0x0F, 16)).append('.');
    }
    return name.append("ip6.arpa.").toString();
  }

  /** Returns whether a label is a SkyDNS wildcard: exactly {@code *} or {@code any}. */
  public static boolean isWildcardLabel(String label) {
    return label.equals("*") || label.equalsIgnoreCase("any");
  }

  /**
   * Splits a presentation-form name into labels, left to right. Escaped dots ({@code \.}) stay
   * inside their label; empty labels (a trailing dot, doubled dots) are dropped.
   */
  public static List<String> labels(String name) {
    List<String> labels = new ArrayList<>(8);
    StringBuilder label = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\\' && i + 1 < name.length()) {
        label.append(c).append(name.charAt(++i));
      } else if (c == '.') {
        if (label.length() > 0) {
          labels.add(label.toString());
          label.setLength(0);
        }
      } else {
        label.append(c);
      }
    }
    if (label.length() > 0) {
      labels.add(label.toString());
    }
    return labels;
  }

  /**
   * The lookup form of one name.
   *
   * @param path the key to read: the whole name's key, or the part before the first wildcard
   * @param wildcard whether the name has a wildcard label, so keys under {@code path} must be
   *     matched segment by segment
   */
  public static final class Query {
    private final String path;
    private final boolean wildcard;
    private final String[] segments;
    private final int rootLength;

    private Query(String path, boolean wildcard, String[] segments, int rootLength) {
      this.path = path;
      this.wildcard = wildcard;
      this.segments = segments;
      this.rootLength = rootLength;
    }

    /** Returns the key to read (everything before the first wildcard). */
    public String path() {
      return path;
    }

    /** Returns whether the name holds a wildcard label. */
    public boolean wildcard() {
      return wildcard;
    }

    /** Returns the name's labels in key order (TLD first). */
    public List<String> segments() {
      return Arrays.asList(segments.clone());
    }

    /**
     * Returns whether {@code key} matches this name: without a wildcard, the key is the path or
     * lies below it; with one, the key has at least as many segments as the name and every
     * non-wildcard segment is equal. Deeper keys match too (SkyDNS: {@code *.*.region1} matches
     * {@code 100.server1.development.region1}).
     */
    public boolean matches(String key) {
      if (!key.startsWith(path) || (key.length() > path.length() && key.charAt(path.length()) != '/')) {
        return false;
      }
      if (!wildcard) {
        return true;
      }
      int position = rootLength; // at the '/' before the first segment
      for (String segment : segments) {
        if (position >= key.length() || key.charAt(position) != '/') {
          return false;
        }
        int end = key.indexOf('/', position + 1);
        if (end < 0) {
          end = key.length();
        }
        if (!isWildcardLabel(segment) && !key.regionMatches(position + 1, segment, 0, segment.length())
            || !isWildcardLabel(segment) && end - position - 1 != segment.length()) {
          return false;
        }
        position = end;
      }
      return true;
    }
  }
}
