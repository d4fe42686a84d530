package org.clusterdns.kube2sky.sync;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.clusterdns.kube2sky.watch.ServiceKey;

/**
 * What etcd should hold: the synchroniser's read-only view of the desired records, computed from
 * the cluster without I/O. The process implements it with the informers' caches and the record
 * functions; tests implement it by hand.
 *
 * <p>Keys are absolute etcd keys ({@code /skydns/local/cluster/svc/ns/web/1a2b3c4d}) and values
 * the leaves' JSON. Values must be canonical: the same record always yields the same string, so
 * an unchanged Service causes no write.
 *
 * @implNote Called only from the synchroniser's worker and probe threads; implementations must be
 *     thread-safe and must not block.
 */
public interface RecordSource {

  /** Returns every Service that exists; meaningful once {@link #isComplete()}. */
  Set<ServiceKey> services();

  /**
   * Returns whether {@link #services()} lists every Service of the cluster (the informers have
   * completed their first list). No key is garbage-collected before.
   */
  boolean isComplete();

  /** Returns the leaves and PTR claims of one Service; {@link Desired#NONE} when it does not exist. */
  Desired desired(ServiceKey key);

  /**
   * Returns a version of everything {@link #desired} reads for the Service (for example the
   * resourceVersions of the Service and its EndpointSlices), or {@code null} when unknown. The
   * synchroniser skips a queued Service whose version equals the one it last reconciled
   * successfully: informers deliver an add event for every object after the first full reconcile
   * has already written them, and re-reading etcd for each would only delay real changes.
   */
  default String version(ServiceKey key) {
    return null;
  }

  /**
   * Returns the directory keys the Service owns, whether it exists or not: each directory key
   * itself and every key under {@code directory + "/"} belong to it, and anything found there
   * that it does not want is deleted.
   */
  List<String> ownedDirectories(ServiceKey key);

  /** Returns the leaves no Service owns, such as {@code dns-version}: key to JSON. */
  Map<String, String> clusterLeaves();

  /**
   * Returns the Service whose {@link #ownedDirectories} hold {@code key}, whether that Service
   * exists or not; empty for a key outside every Service directory.
   */
  Optional<ServiceKey> owner(String key);

  /**
   * Returns the directory under which every record lies ({@code /skydns}); a full reconcile reads
   * it through, page by page, for keys no Service owns.
   */
  String root();

  /**
   * Returns whether a key under {@link #root()} is kube2sky's to delete when no Service wants it;
   * keys written by others (hosts registering themselves, {@code /skydns/config}) are not. The
   * value is given because a reverse leaf is kube2sky's only when it points at a Service name.
   */
  boolean isManaged(String key, String value);

  /**
   * One Service's desired records.
   *
   * @param leaves the leaves under the Service's directories: key to JSON
   * @param ptrClaims the reverse records the Service would like to publish; when several Services
   *     claim one key, the claim with the lowest rank wins
   */
  record Desired(Map<String, String> leaves, List<PtrClaim> ptrClaims) {
    /** Nothing: the Service does not exist, or publishes no records. */
    public static final Desired NONE = new Desired(Map.of(), List.of());

    /** Copies the collections. */
    public Desired {
      leaves = Map.copyOf(leaves);
      ptrClaims = List.copyOf(ptrClaims);
    }
  }

  /**
   * A claim on one PTR leaf. Of all claims on a key, the one with the lowest {@code rank} wins;
   * equal ranks are decided by the value, then by the claiming Service, so the choice never
   * depends on the order of events.
   *
   * @param key the PTR leaf ({@code /skydns/arpa/in-addr/10/0/0/1})
   * @param value its JSON
   * @param rank the claim's precedence as a string compared lexicographically, lowest wins (for
   *     example {@code "0"} for cluster IPs before {@code "1"} for headless endpoints)
   */
  record PtrClaim(String key, String value, String rank) {
    /** Checks the arguments. */
    public PtrClaim {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(rank, "rank");
    }
  }
}
