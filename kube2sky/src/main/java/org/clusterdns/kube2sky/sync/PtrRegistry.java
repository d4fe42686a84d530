package org.clusterdns.kube2sky.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  /**
   * A claim with the Service that holds it.
   *
   * @param owner the claiming Service
   * @param claim its best claim on the key
   */
  private record Held(ServiceKey owner, PtrClaim claim) {}

  /**
   * PTR key to its claims, one per claimant, ordered by claimant. Most keys have a single claim,
   * so an immutable list costs far less than a sorted map per key.
   */
  private final Map<String, List<Held>> claims = new HashMap<>();
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
      List<Held> held = claims.get(old.key());
      if (held != null) {
        List<Held> rest = new ArrayList<>(held);
        rest.removeIf(claim -> claim.owner().equals(owner));
        if (rest.isEmpty()) {
          claims.remove(old.key());
        } else {
          claims.put(old.key(), List.copyOf(rest));
        }
      }
    }
    for (PtrClaim claim : newClaims) {
      affected.add(claim.key());
      List<Held> held = new ArrayList<>(claims.getOrDefault(claim.key(), List.of()));
      int index = 0;
      while (index < held.size() && held.get(index).owner().compareTo(owner) < 0) {
        index++;
      }
      if (index < held.size() && held.get(index).owner().equals(owner)) {
        PtrClaim other = held.get(index).claim();
        held.set(index, new Held(owner, BY_PRECEDENCE.compare(other, claim) <= 0 ? other : claim));
      } else {
        held.add(index, new Held(owner, claim));
      }
      claims.put(claim.key(), List.copyOf(held));
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
    List<Held> held = claims.get(key);
    if (held == null) {
      return Optional.empty();
    }
    // The claims are in owner order, so the last tie-break is the Service key.
    Held best = null;
    for (Held claim : held) {
      if (best == null || BY_PRECEDENCE.compare(claim.claim(), best.claim()) < 0) {
        best = claim;
      }
    }
    return Optional.of(Map.entry(best.owner(), best.claim()));
  }

  /** Returns the number of claimed keys. */
  int size() {
    return claims.size();
  }

  private void logConflict(String key) {
    List<Held> held = claims.get(key);
    if (held == null || held.size() < 2) {
      loggedConflicts.remove(key);
      return;
    }
    ServiceKey owner = winner(key).orElseThrow().getKey();
    String conflict = "PTR " + key + " is claimed by " + held.stream().map(Held::owner).toList() + "; "
        + owner + " wins";
    if (!conflict.equals(loggedConflicts.put(key, conflict))) {
      LOG.info(conflict);
    }
  }
}
