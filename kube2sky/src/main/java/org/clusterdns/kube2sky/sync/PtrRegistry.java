package org.clusterdns.kube2sky.sync;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.clusterdns.kube2sky.sync.RecordSource.PtrClaim;
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Service's claims on PTR leaves, and which claim wins each leaf: the lowest rank, then the
 * lowest value, then the lowest Service key, so the winner does not depend on the order in which
 * Services were seen. A conflict is logged once, when its set of claimants or its winner changes.
 *
 * @implNote Not thread-safe: owned by the synchroniser's worker thread.
 */
final class PtrRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(PtrRegistry.class);
  private static final Comparator<PtrClaim> BY_PRECEDENCE =
      Comparator.comparing(PtrClaim::rank).thenComparing(PtrClaim::value);

  /** PTR key to its claimants, each with its best claim on the key. */
  private final Map<String, TreeMap<ServiceKey, PtrClaim>> claims = new HashMap<>();
  /** Service to the PTR keys it claims. */
  private final Map<ServiceKey, List<PtrClaim>> byOwner = new HashMap<>();
  /** PTR key in conflict to the last conflict logged for it. */
  private final Map<String, String> loggedConflicts = new HashMap<>();

  /** Returns every Service that claims a PTR leaf. */
  Set<ServiceKey> owners() {
    return Set.copyOf(byOwner.keySet());
  }

  /** Returns the claims {@code owner} holds, as last given to {@link #replace}. */
  List<PtrClaim> claimsOf(ServiceKey owner) {
    return byOwner.getOrDefault(owner, List.of());
  }

  /**
   * Replaces the claims of {@code owner}, and returns the keys whose winner may have changed: the
   * keys it claimed before and the keys it claims now.
   */
  Set<String> replace(ServiceKey owner, List<PtrClaim> newClaims) {
    Set<String> affected = new TreeSet<>();
    for (PtrClaim old : byOwner.getOrDefault(owner, List.of())) {
      affected.add(old.key());
      TreeMap<ServiceKey, PtrClaim> claimants = claims.get(old.key());
      if (claimants != null) {
        claimants.remove(owner);
        if (claimants.isEmpty()) {
          claims.remove(old.key());
        }
      }
    }
    for (PtrClaim claim : newClaims) {
      affected.add(claim.key());
      claims.computeIfAbsent(claim.key(), key -> new TreeMap<>())
          .merge(owner, claim, (a, b) -> BY_PRECEDENCE.compare(a, b) <= 0 ? a : b);
    }
    if (newClaims.isEmpty()) {
      byOwner.remove(owner);
    } else {
      byOwner.put(owner, List.copyOf(newClaims));
    }
    affected.forEach(this::logConflict);
    return affected;
  }

  /** Returns the winning claim on {@code key} with its owner, or empty when nobody claims it. */
  Optional<Map.Entry<ServiceKey, PtrClaim>> winner(String key) {
    TreeMap<ServiceKey, PtrClaim> claimants = claims.get(key);
    if (claimants == null) {
      return Optional.empty();
    }
    // Iterating the TreeMap in key order makes the last tie-break the Service key.
    Map.Entry<ServiceKey, PtrClaim> best = null;
    for (Map.Entry<ServiceKey, PtrClaim> entry : claimants.entrySet()) {
      if (best == null || BY_PRECEDENCE.compare(entry.getValue(), best.getValue()) < 0) {
        best = entry;
      }
    }
    return Optional.of(best);
  }

  /** Returns every claimed key with the winning value. */
  Map<String, String> winners() {
    Map<String, String> winners = new HashMap<>();
    for (String key : claims.keySet()) {
      winners.put(key, winner(key).orElseThrow().getValue().value());
    }
    return winners;
  }

  /** Returns the number of claimed keys. */
  int size() {
    return claims.size();
  }

  private void logConflict(String key) {
    TreeMap<ServiceKey, PtrClaim> claimants = claims.get(key);
    if (claimants == null || claimants.size() < 2) {
      loggedConflicts.remove(key);
      return;
    }
    ServiceKey owner = winner(key).orElseThrow().getKey();
    String conflict = "PTR " + key + " is claimed by " + claimants.keySet() + "; " + owner + " wins";
    if (!conflict.equals(loggedConflicts.put(key, conflict))) {
      LOG.info(conflict);
    }
  }
}
