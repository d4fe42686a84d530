package org.clusterdns.skydns.resolve.authoritative;

import java.util.List;
import org.clusterdns.records.EtcdPath;
import org.clusterdns.skydns.backend.Backend;
import org.clusterdns.skydns.backend.Lookup;
import org.clusterdns.skydns.config.AnswerConfig;

/**
 * The backend as the answer builders see it: the zone's rules about which names exist applied on
 * top of {@link Backend#records}.
 *
 * <p>Two rules live here so that every query type follows them: the apex always exists (it holds
 * the SOA even when the tree is empty), and with wildcards switched off a name holding a {@code *}
 * or {@code any} label does not exist. The backend expands those labels itself and has no switch
 * for it, and a real label {@code *} cannot be stored usefully, so "does not exist" is the honest
 * answer.
 */
final class ServiceTree {
  private final Backend backend;
  private final AnswerConfig config;

  ServiceTree(Backend backend, AnswerConfig config) {
    this.backend = backend;
    this.config = config;
  }

  /** Returns the services at and below lower-case absolute {@code name}. */
  Lookup find(String name) {
    return lookup(name, false);
  }

  /** Returns the service stored exactly at {@code name} (wildcards still expand). */
  Lookup findExact(String name) {
    return lookup(name, true);
  }

  /** Returns whether lower-case absolute {@code name} is the served domain or below it. */
  boolean isInside(String name) {
    return Names.isInside(name, config.domain());
  }

  /** Returns whether {@code name} is the apex of the served domain. */
  boolean isApex(String name) {
    return name.equals(config.domain());
  }

  private Lookup lookup(String name, boolean exact) {
    if (!config.wildcards() && hasWildcardLabel(name)) {
      return Lookup.NOT_FOUND;
    }
    Lookup lookup = backend.records(name, exact);
    if (!lookup.nameExists() && isApex(name)) {
      return new Lookup(true, List.of());
    }
    return lookup;
  }

  /** Looks for wildcard labels left of the domain only: the domain's own labels are never queries. */
  private boolean hasWildcardLabel(String name) {
    String own = isInside(name) ? name.substring(0, name.length() - config.domain().length()) : name;
    for (String label : EtcdPath.labels(own)) {
      if (EtcdPath.isWildcardLabel(label)) {
        return true;
      }
    }
    return false;
  }
}
