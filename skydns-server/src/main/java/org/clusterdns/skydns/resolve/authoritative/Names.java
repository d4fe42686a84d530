package org.clusterdns.skydns.resolve.authoritative;

import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Name helpers shared by the answer builders: parsing stored text, key-derived names, TargetStrip. */
final class Names {
  private Names() {}

  /**
   * Returns {@code text} as an absolute name, or empty when it is not a valid DNS name (stored data
   * is not trusted: a label over 63 bytes or an empty label must not break the answer).
   */
  static Optional<Name> parse(String text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Name.fromString(text.endsWith(".") ? text : text + "."));
    } catch (TextParseException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Returns the lower-case presentation form the backend is asked with. */
  static String lookupForm(Name name) {
    return name.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the name an etcd key stands for (spec 2.3): the segments after the prefix, reversed.
   * {@code /skydns/local/skydns/east/staging/rails/4} gives {@code 4.rails.staging.east.skydns.local.}.
   */
  static Optional<Name> ofKey(String key) {
    String[] segments = key.split("/");
    StringBuilder name = new StringBuilder(key.length());
    // segments[0] is the empty string before the leading slash, segments[1] the prefix.
    for (int i = segments.length - 1; i >= 2; i--) {
      if (!segments[i].isEmpty()) {
        name.append(segments[i]).append('.');
      }
    }
    return name.length() == 0 ? Optional.empty() : parse(name.toString());
  }

  /**
   * Removes the {@code count} leftmost labels (spec 9.3); leaves the name unchanged when
   * {@code count} is not positive or would remove every label.
   */
  static Name targetStrip(Name name, int count) {
    int labels = name.labels() - 1; // without the root label
    if (count <= 0 || count >= labels) {
      return name;
    }
    return new Name(name, count);
  }

  /** Returns whether lower-case absolute {@code name} is {@code domain} or lies below it. */
  static boolean isInside(String name, String domain) {
    return name.equals(domain) || name.endsWith("." + domain);
  }
}
