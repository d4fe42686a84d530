package org.clusterdns.kube2sky.records;

import java.util.Comparator;
import java.util.Objects;
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.clusterdns.records.ServiceRecord;

/**
 * One Service's wish to own a reverse (PTR) leaf. SkyDNS answers a PTR question from exactly one
 * leaf, but several Services can name the same address (a pod behind two headless Services), so
 * claims are ranked and the smallest claim for a key wins.
 *
 * <p>The natural order is by key, then by precedence: a cluster IP claim beats a headless endpoint
 * claim, then the owner ({@link ServiceKey} order: namespace, then name) decides, then the
 * hostname, then the target. It is total, so the winner never depends on the order in which
 * claims were seen.
 *
 * @param key the reverse leaf, such as {@code /skydns/arpa/in-addr/10/0/0/1}
 * @param value the leaf's value: the target name (absolute) as host, and the TTL
 * @param kind what the address is to the owner
 * @param owner the Service making the claim
 * @param hostname the endpoint's hostname for {@link Kind#ENDPOINT} claims; empty for cluster IPs
 */
public record PtrClaim(String key, ServiceRecord value, Kind kind, ServiceKey owner, String hostname)
    implements Comparable<PtrClaim> {

  /** What the claimed address is to the Service, in order of precedence. */
  public enum Kind {
    /** One of the Service's cluster IPs: always the preferred answer. */
    CLUSTER_IP,
    /** The address of a named endpoint of a headless Service. */
    ENDPOINT
  }

  private static final Comparator<PtrClaim> ORDER =
      Comparator.comparing(PtrClaim::key)
          .thenComparing(PtrClaim::kind)
          .thenComparing(PtrClaim::owner)
          .thenComparing(PtrClaim::hostname)
          .thenComparing(claim -> claim.value().host())
          .thenComparingLong(claim -> claim.value().ttl());

  /** Checks the arguments. */
  public PtrClaim {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(hostname, "hostname");
  }

  /** Orders by key, then by precedence: among claims for one key the smallest wins. */
  @Override
  public int compareTo(PtrClaim other) {
    return ORDER.compare(this, other);
  }
}
