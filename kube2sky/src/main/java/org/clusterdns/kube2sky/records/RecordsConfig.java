package org.clusterdns.kube2sky.records;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.clusterdns.records.EtcdPath;

/**
 * What the records of a Service depend on besides the Service: the cluster domain, the etcd key
 * layout, the record TTL and whether the 2014 addon's names are written too.
 *
 * @param domain the cluster domain, absolute and lower-case ({@code cluster.local.}); a missing
 *     trailing dot is added and upper case is lowered
 * @param path the etcd key layout (its prefix, {@code skydns} by default)
 * @param ttl the TTL written into every Service's records, in seconds
 * @param legacyNames whether {@code <svc>.<ns>.<domain>} is written as well as
 *     {@code <svc>.<ns>.svc.<domain>}
 */
public record RecordsConfig(String domain, EtcdPath path, long ttl, boolean legacyNames) {
  /** The cluster domain used unless told otherwise. */
  public static final String DEFAULT_DOMAIN = "cluster.local.";
  /** The record TTL kube2sky has always written. */
  public static final long DEFAULT_TTL = 30;

  private static final Pattern DOMAIN_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /**
   * Normalises the domain and checks every value.
   *
   * @throws IllegalArgumentException when the domain is not a plain DNS name (empty, the root, a
   *     wildcard label or characters that would break the key layout) or the TTL is out of range
   */
  public RecordsConfig {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(path, "path");
    String normalised = domain.toLowerCase(Locale.ROOT);
    if (!normalised.endsWith(".")) {
      normalised += ".";
    }
    String[] labels = normalised.substring(0, normalised.length() - 1).split("\\.", -1);
    for (String label : labels) {
      // "any" is a SkyDNS wildcard label: a domain holding it could never be looked up.
      if (!DOMAIN_LABEL.matcher(label).matches() || EtcdPath.isWildcardLabel(label)) {
        throw new IllegalArgumentException("domain '" + domain + "' is not a valid DNS name");
      }
    }
    if (normalised.length() > 254) {
      throw new IllegalArgumentException("domain '" + domain + "' is longer than 253 characters");
    }
    if (ttl < 0 || ttl > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("ttl out of range 0..4294967295: " + ttl);
    }
    domain = normalised;
  }

  /** Returns the defaults: {@code cluster.local.}, prefix {@code skydns}, TTL 30, no legacy names. */
  public static RecordsConfig defaults() {
    return new RecordsConfig(DEFAULT_DOMAIN, new EtcdPath(EtcdPath.DEFAULT_PREFIX), DEFAULT_TTL, false);
  }
}
