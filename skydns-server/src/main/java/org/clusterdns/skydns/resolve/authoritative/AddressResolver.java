package org.clusterdns.skydns.resolve.authoritative;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
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
 * </ul>
 */
final class AddressResolver {
  /** The longest chain of CNAME records an answer may hold (spec 9.5). */
  static final int MAX_CHAIN = 8;

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
    List<Name> visited = new ArrayList<>(List.of(owner));
    return Answer.of(resolve(owner, name, lookup, Family.of(qtype), visited, nowMillis), List.of());
  }

  /**
   * Returns the A and AAAA records (and CNAME chain) of an in-domain target, for the additional
   * section; empty when the target has none.
   */
  List<Record> addressesOf(Name target, long nowMillis) {
    String name = Names.lookupForm(target);
    List<Name> visited = new ArrayList<>(List.of(target));
    return resolve(target, name, tree.find(name), Family.BOTH, visited, nowMillis);
  }

  private List<Record> resolve(
      Name owner, String name, Lookup lookup, Family family, List<Name> visited, long nowMillis) {
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
      List<Record> chain = alias(owner, service, family, visited, nowMillis);
      if (!chain.isEmpty()) {
        return chain;
      }
    }
    return List.of();
  }

  /** Returns the CNAME to the service's host followed by what the target resolves to, or empty. */
  private List<Record> alias(
      Name owner, ServiceEntry service, Family family, List<Name> visited, long nowMillis) {
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
    Record cname = records.cname(owner, target, records.ttl(service, nowMillis));
    String targetName = Names.lookupForm(target);
    if (!tree.isInside(targetName)) {
      return List.of(cname);
    }
    Lookup lookup = tree.find(targetName);
    if (!lookup.nameExists()) {
      return List.of();
    }
    visited.add(target);
    List<Record> rest = resolve(target, targetName, lookup, family, visited, nowMillis);
    visited.remove(visited.size() - 1);
    if (rest.isEmpty()) {
      return List.of();
    }
    List<Record> chain = new ArrayList<>(rest.size() + 1);
    chain.add(cname);
    chain.addAll(rest);
    return chain;
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
