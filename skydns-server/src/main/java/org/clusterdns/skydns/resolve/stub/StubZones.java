package org.clusterdns.skydns.resolve.stub;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.clusterdns.records.EtcdPath;
import org.clusterdns.skydns.backend.Backend;
import org.clusterdns.skydns.backend.ServiceEntry;
import org.clusterdns.skydns.resolve.forward.UpstreamGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table of stub zones (spec 12), read from the records under {@code stub.dns.<domain>}: each
 * leaf {@code <any>.<zone>.stub.dns.<domain>} names one server of {@code <zone>} by its IP host and
 * port (0 means 53). The table follows the backend: it is rebuilt on the first question after the
 * data changed, so an edit in etcd takes effect without a restart.
 *
 * <p>Beyond the original: a name under several zones goes to the longest one (SkyDNS picked one
 * at random); a zone equal to the served domain, or above it, is skipped with a warning, since it
 * would hand the whole domain away; a server whose host is not an IP address is skipped with a
 * warning, as in SkyDNS. A zone whose servers did not change keeps its {@link UpstreamGroup}, and
 * with it the servers' health.
 *
 * @implNote Thread-safe; lookups are lock-free. Rebuilding is cheap (the stub directory is small)
 *     and may occasionally happen twice concurrently, which is harmless.
 */
public final class StubZones {
  private static final Logger log = LoggerFactory.getLogger(StubZones.class);
  private static final int DNS_PORT = 53;
  private static final int MAX_PORT = 65535;

  private final Backend backend;
  private final String domain;
  private final String stubDirectory;
  private final EtcdPath paths;
  private final Duration timeout;
  private volatile Table table = new Table(Long.MIN_VALUE, 0, Map.of());
  // Versions only go up, also when two rebuilds race: a number is never given to two tables.
  private final AtomicLong versions = new AtomicLong();

  /**
   * Creates the table.
   *
   * @param backend where the stub servers are stored
   * @param domain the served domain, lower-case and absolute
   * @param paths turns the records' keys back into names
   * @param timeout how long one server may take to answer
   */
  public StubZones(Backend backend, String domain, EtcdPath paths, Duration timeout) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.domain = Objects.requireNonNull(domain, "domain");
    this.stubDirectory = "stub.dns." + domain;
    this.paths = Objects.requireNonNull(paths, "paths");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * Returns the servers of the longest stub zone that {@code lname} (lower-case, absolute) is
   * equal to or below, or empty when it is under none.
   */
  public Optional<UpstreamGroup> match(String lname) {
    Map<String, UpstreamGroup> zones = current().zones;
    if (zones.isEmpty()) {
      return Optional.empty();
    }
    String name = lname;
    while (true) {
      UpstreamGroup group = zones.get(name);
      if (group != null) {
        return Optional.of(group);
      }
      int dot = name.indexOf('.');
      if (dot < 0 || dot == name.length() - 1) {
        return Optional.empty();
      }
      name = name.substring(dot + 1);
    }
  }

  /**
   * Returns a number that changes whenever a zone is added or removed or its servers change, and
   * only then: caches keep replies from stub servers and upstreams while it stays the same, since
   * which server a name goes to did not change. (Other data changes leave it alone.)
   */
  public long version() {
    return current().version;
  }

  /** Returns the zones and their servers' addresses as now configured. */
  public Map<String, List<InetSocketAddress>> zones() {
    Map<String, List<InetSocketAddress>> zones = new LinkedHashMap<>();
    current().zones.forEach((zone, group) -> zones.put(zone, group.addresses()));
    return zones;
  }

  private Table current() {
    Table known = table;
    long generation = backend.generation();
    if (known.generation == generation) {
      return known;
    }
    Table rebuilt;
    try {
      Map<String, UpstreamGroup> zones = build(known.zones);
      // Unchanged zones keep their group objects, so equal maps mean the same routing.
      rebuilt = new Table(generation, zones.equals(known.zones) ? known.version : versions.incrementAndGet(), zones);
    } catch (RuntimeException e) {
      // One odd value must not fail every question: keep the previous table, as SkyDNS did.
      log.warn("cannot read the stub zones under {}, keeping the previous ones: {}", stubDirectory, e.toString());
      rebuilt = new Table(generation, known.version, known.zones);
    }
    table = rebuilt;
    return rebuilt;
  }

  private Map<String, UpstreamGroup> build(Map<String, UpstreamGroup> previous) {
    Map<String, List<InetSocketAddress>> servers = new LinkedHashMap<>();
    for (ServiceEntry entry : backend.records(stubDirectory, false).entries()) {
      server(entry).ifPresent(server -> servers.computeIfAbsent(server.zone, zone -> new ArrayList<>())
          .add(server.address));
    }
    Map<String, UpstreamGroup> zones = new HashMap<>();
    servers.forEach((zone, addresses) -> {
      UpstreamGroup kept = previous.get(zone);
      if (kept != null && kept.addresses().equals(addresses)) {
        zones.put(zone, kept);
      } else {
        // SkyDNS always rotated over a stub zone's servers, whatever ns_rotate said.
        zones.put(zone, new UpstreamGroup("stub zone " + zone, addresses, timeout, true, true));
        log.info("stub zone {} is served by {}", zone, addresses);
      }
    });
    previous.keySet().stream().filter(zone -> !zones.containsKey(zone))
        .forEach(zone -> log.info("stub zone {} removed", zone));
    return Map.copyOf(zones);
  }

  private Optional<Server> server(ServiceEntry entry) {
    String name = paths.name(entry.key()).toLowerCase(Locale.ROOT);
    int firstDot = name.indexOf('.');
    int zoneEnd = name.length() - stubDirectory.length();
    if (!name.endsWith("." + stubDirectory) || firstDot + 1 >= zoneEnd) {
      log.warn("skipped stub server {}: its key names no zone (<server>.<zone>.{})", entry.key(), stubDirectory);
      return Optional.empty();
    }
    String zone = name.substring(firstDot + 1, zoneEnd);
    if (zone.equals(domain) || domain.endsWith("." + zone)) {
      log.warn("skipped stub server {}: zone {} would take over the served domain {}", entry.key(), zone, domain);
      return Optional.empty();
    }
    Optional<InetAddress> address = entry.record().address();
    if (address.isEmpty()) {
      log.warn("skipped stub server {}: host '{}' is not an IP address", entry.key(), entry.record().host());
      return Optional.empty();
    }
    int port = entry.record().port() == 0 ? DNS_PORT : entry.record().port();
    if (port < 1 || port > MAX_PORT) {
      log.warn("skipped stub server {}: port {} is not 1-65535", entry.key(), entry.record().port());
      return Optional.empty();
    }
    return Optional.of(new Server(zone, new InetSocketAddress(address.get(), port)));
  }

  private record Server(String zone, InetSocketAddress address) {}

  /**
   * The zones as of one backend generation.
   *
   * @param version see {@link #version()}
   */
  private record Table(long generation, long version, Map<String, UpstreamGroup> zones) {}
}
