package org.clusterdns.skydns.resolve.authoritative;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.clusterdns.records.EtcdPath;
import org.clusterdns.records.IpLiterals;
import org.clusterdns.skydns.backend.Lookup;
import org.clusterdns.skydns.backend.ServiceEntry;
import org.clusterdns.skydns.config.AnswerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Address answers (spec 8.1): A and AAAA records of the services at and below a name, following
 * CNAME chains inside the domain. One routine serves A, AAAA and the "both families" look-ups
 * that fill the additional section of SRV and MX answers.
 *
 * <p>Decisions beyond the original:
 *
 * <ul>
 *   <li>Services below a {@code _} label the question did not name (the SRV records of named
 *       ports, {@code _http._tcp}) are not addresses of the name, so they are ignored here.
 *   <li>An owner holds either addresses or one CNAME, never both (RFC 1034 3.6.2): when any
 *       service at the name has an IP host, services with name hosts add no CNAME; otherwise the
 *       first name host (in key order) whose chain leads somewhere gives the one CNAME.
 *   <li>A service with an empty host is no address and no alias (spec 19.7 not reproduced).
 *   <li>Targets outside the domain end the chain with a lone CNAME; the client's resolver follows
 *       it.
 *   <li>The work per answer is bounded ({@link Walk}): a name several aliases lead to is
 *       followed once, not once per path to it, and at most {@link #MAX_LOOKUPS} names are looked
 *       up.
 * </ul>
 */
final class AddressResolver {
  /** The longest chain of CNAME records an answer may hold (spec 9.5). */
  static final int MAX_CHAIN = 8;
  /**
   * The most names one answer looks up to follow aliases and fill its additional section: enough
   * for any sane data, and a bound on the work hostile data can cause.
   */
  static final int MAX_LOOKUPS = 64;

  private static final Logger log = LoggerFactory.getLogger(AddressResolver.class);

  /** Which address records a look-up wants. */
  enum Family {
    V4,
    V6,
    BOTH;

    static Family of(int qtype) {
      return qtype == Type.AAAA ? V6 : V4;
    }

    boolean accepts(InetAddress address) {
      return this == BOTH || (this == V4) == IpLiterals.isIpv4(address);
    }
  }

  private final ServiceTree tree;
  private final RecordMaker records;
  private final AnswerConfig config;
  private final RandomGenerator random;

  AddressResolver(ServiceTree tree, RecordMaker records, AnswerConfig config, RandomGenerator random) {
    this.tree = tree;
    this.records = records;
    this.config = config;
    this.random = random;
  }

  /** Answers an A or AAAA question for {@code name}, owners in the case of {@code owner}. */
  Answer answer(Name owner, String name, int qtype, long nowMillis) {
    Lookup lookup = tree.find(name);
    if (!lookup.nameExists()) {
      return Answer.NXDOMAIN;
    }
    Walk walk = new Walk(Family.of(qtype), nowMillis);
    walk.visited.add(owner);
    return Answer.of(walk.resolve(owner, name, lookup), List.of());
  }

  /**
   * Starts the look-ups of one SRV or MX answer's additional section: both families, one memo and
   * one budget for all its targets.
   */
  Walk additional(long nowMillis) {
    return new Walk(Family.BOTH, nowMillis);
  }

  /** Where a chain continues: a target as spelled (its case becomes the next owner's) and depth. */
  private record Step(String target, int depth) {}

  /**
   * The look-ups of one answer. Each name is followed once per depth: later aliases to it reuse the
   * result, failures included, so a tree of k aliases per level costs one look-up per level instead
   * of k to the power of the levels. The depth is part of the key because a name too deep for the
   * chain limit on one path may be near enough on another. Past {@link #MAX_LOOKUPS} look-ups no
   * alias is followed any more; the answer holds what was found by then.
   *
   * <p>A result reused on another path is dropped when its chain passes through a name of that
   * path (it would be a loop there), and a failure is reused even when it came from a loop through
   * the first path's names; both err on the side of a shorter answer, and only for aliases that
   * loop.
   */
  final class Walk {
    private final Family family;
    private final long nowMillis;
    private final List<Name> visited = new ArrayList<>();
    private final Map<Step, List<Record>> followed = new HashMap<>();
    private int lookupsLeft = MAX_LOOKUPS;

    private Walk(Family family, long nowMillis) {
      this.family = family;
      this.nowMillis = nowMillis;
    }

    /**
     * Returns the A and AAAA records (and CNAME chain) of an in-domain target, for the additional
     * section; empty when the target has none.
     */
    List<Record> addressesOf(Name target) {
      Optional<Lookup> lookup = find(target, Names.lookupForm(target));
      if (lookup.isEmpty()) {
        return List.of();
      }
      visited.clear();
      visited.add(target);
      return resolve(target, Names.lookupForm(target), lookup.get());
    }

    private List<Record> resolve(Name owner, String name, Lookup lookup) {
      List<ServiceEntry> services = GroupFilter.apply(addressable(lookup.entries(), name));
      List<Record> addresses = new ArrayList<>();
      boolean hasAddressHost = false;
      for (ServiceEntry service : services) {
        Optional<InetAddress> address = service.record().address();
        if (address.isPresent()) {
          hasAddressHost = true;
          if (family.accepts(address.get())) {
            addresses.add(records.address(owner, address.get(), records.ttl(service, nowMillis)));
          }
        }
      }
      if (hasAddressHost) {
        if (config.roundRobin()) {
          shuffle(addresses);
        }
        return addresses;
      }
      for (ServiceEntry service : services) {
        List<Record> chain = alias(owner, service);
        if (!chain.isEmpty()) {
          return chain;
        }
      }
      return List.of();
    }

    /** Returns the CNAME to the service's host followed by what the target resolves to, or empty. */
    private List<Record> alias(Name owner, ServiceEntry service) {
      Optional<Name> parsed = Names.parse(service.record().host());
      if (parsed.isEmpty()) {
        return List.of();
      }
      Name target = parsed.get();
      // visited holds the owner too, so this also catches a name aliased to itself.
      if (visited.contains(target)) {
        log.debug("CNAME loop at {} -> {}, dropped", owner, target);
        return List.of();
      }
      if (visited.size() > MAX_CHAIN) {
        log.debug("CNAME chain from {} longer than {}, dropped at {}", visited.get(0), MAX_CHAIN, target);
        return List.of();
      }
      long ttl = records.ttl(service, nowMillis);
      if (!tree.isInside(Names.lookupForm(target))) {
        return List.of(records.cname(owner, target, ttl));
      }
      Step step = new Step(target.toString(), visited.size());
      List<Record> rest = followed.get(step);
      if (rest == null) {
        rest = follow(target);
        followed.put(step, rest);
      }
      if (rest.isEmpty() || passesThroughPath(rest)) {
        return List.of();
      }
      List<Record> chain = new ArrayList<>(rest.size() + 1);
      chain.add(records.cname(owner, target, ttl));
      chain.addAll(rest);
      return chain;
    }

    /** Returns what in-domain {@code target} resolves to at the current depth, or empty. */
    private List<Record> follow(Name target) {
      String targetName = Names.lookupForm(target);
      Optional<Lookup> lookup = find(target, targetName);
      if (lookup.isEmpty() || !lookup.get().nameExists()) {
        return List.of();
      }
      visited.add(target);
      List<Record> rest = resolve(target, targetName, lookup.get());
      visited.remove(visited.size() - 1);
      return rest;
    }

    /** Looks {@code name} up if the budget allows; empty once it is spent. */
    private Optional<Lookup> find(Name target, String name) {
      lookupsLeft--;
      if (lookupsLeft < 0) {
        if (lookupsLeft == -1) { // once per answer
          log.debug("look-up budget of {} spent at {}, answering with what was found", MAX_LOOKUPS, target);
        }
        return Optional.empty();
      }
      return Optional.of(tree.find(name));
    }

    /** Returns whether a chain found on another path holds a name of the current one. */
    private boolean passesThroughPath(List<Record> chain) {
      for (Record record : chain) {
        if (visited.contains(record.getName())) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Drops services stored below a {@code _} label that the question did not spell out: such a
   * label is reached only past the name's own labels, or through a wildcard.
   */
  private static List<ServiceEntry> addressable(List<ServiceEntry> services, String name) {
    List<String> labels = EtcdPath.labels(name);
    List<ServiceEntry> kept = new ArrayList<>(services.size());
    for (ServiceEntry service : services) {
      if (!belowUnnamedUnderscore(service.key(), labels)) {
        kept.add(service);
      }
    }
    return kept;
  }

  private static boolean belowUnnamedUnderscore(String key, List<String> labels) {
    String[] segments = key.split("/");
    // segments[0] is empty (leading slash) and segments[1] the prefix; then the labels, TLD first.
    for (int i = 2; i < segments.length; i++) {
      if (segments[i].startsWith("_")) {
        int position = labels.size() - 1 - (i - 2);
        if (position < 0 || EtcdPath.isWildcardLabel(labels.get(position))) {
          return true;
        }
      }
    }
    return false;
  }

  private void shuffle(List<Record> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Record swapped = list.get(i);
      list.set(i, list.get(j));
      list.set(j, swapped);
    }
  }
}
