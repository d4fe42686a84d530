package org.clusterdns.kube2sky.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterdns.kube2sky.watch.ServiceKey;

/**
 * A hand-written {@link RecordSource} in the SkyDNS layout: a ClusterIP Service has one leaf per
 * IP under its directory and claims each IP's PTR leaf with rank "0"; a Service can also be given
 * any leaves and claims. Mutable from the test thread while the synchroniser reads it.
 */
final class FakeSource implements RecordSource {
  static final String ROOT = "/skydns";
  static final String DNS_VERSION = "/skydns/local/cluster/dns-version";
  static final String DNS_VERSION_JSON = "{\"text\":\"1.1.0\",\"ttl\":28800}";

  private final Map<ServiceKey, Desired> services = new ConcurrentHashMap<>();
  private final Map<ServiceKey, String> versions = new ConcurrentHashMap<>();
  private volatile boolean complete = true;
  /** How often {@link #isComplete()} was asked: shows that the synchroniser keeps waiting. */
  final AtomicInteger completeChecks = new AtomicInteger();
  private volatile RuntimeException failure;

  /** Publishes a ClusterIP Service with the given IPv4 addresses. */
  FakeSource clusterIp(ServiceKey key, String... ips) {
    Map<String, String> leaves = new LinkedHashMap<>();
    List<PtrClaim> claims = new ArrayList<>();
    for (String ip : ips) {
      leaves.put(directory(key) + "/" + ip.replace('.', '-'), json(ip));
      claims.add(new PtrClaim(ptrKey(ip), json(name(key)), "0"));
    }
    return put(key, new Desired(leaves, claims));
  }

  FakeSource put(ServiceKey key, Desired desired) {
    services.put(key, desired);
    return this;
  }

  /** Gives the Service a version, as the informers' resourceVersions would. */
  FakeSource version(ServiceKey key, String version) {
    versions.put(key, version);
    return this;
  }

  @Override
  public String version(ServiceKey key) {
    return versions.get(key);
  }

  FakeSource remove(ServiceKey key) {
    services.remove(key);
    return this;
  }

  void complete(boolean value) {
    complete = value;
  }

  /** Makes {@link #desired} throw, as a bug in the record functions would; null to stop. */
  void failWith(RuntimeException error) {
    failure = error;
  }

  static String directory(ServiceKey key) {
    return "/skydns/local/cluster/svc/" + key.namespace() + "/" + key.name();
  }

  static String name(ServiceKey key) {
    return key.name() + "." + key.namespace() + ".svc.cluster.local.";
  }

  static String ptrKey(String ip) {
    return "/skydns/arpa/in-addr/" + ip.replace('.', '/');
  }

  static String json(String host) {
    return "{\"host\":\"" + host + "\",\"ttl\":30}";
  }

  @Override
  public Set<ServiceKey> services() {
    return Set.copyOf(services.keySet());
  }

  @Override
  public boolean isComplete() {
    completeChecks.incrementAndGet();
    return complete;
  }

  @Override
  public Desired desired(ServiceKey key) {
    RuntimeException error = failure;
    if (error != null) {
      throw error;
    }
    return services.getOrDefault(key, Desired.NONE);
  }

  @Override
  public List<String> ownedDirectories(ServiceKey key) {
    return List.of(directory(key));
  }

  @Override
  public Optional<ServiceKey> owner(String key) {
    String services = "/skydns/local/cluster/svc/";
    if (!key.startsWith(services)) {
      return Optional.empty();
    }
    String[] segments = key.substring(services.length()).split("/", 3);
    return segments.length < 2 ? Optional.empty() : Optional.of(new ServiceKey(segments[0], segments[1]));
  }

  @Override
  public Map<String, String> clusterLeaves() {
    return Map.of(DNS_VERSION, DNS_VERSION_JSON);
  }

  @Override
  public String root() {
    return ROOT;
  }

  @Override
  public boolean isManaged(String key, String value) {
    return key.startsWith("/skydns/local/cluster/svc/") || key.startsWith("/skydns/arpa/")
        || key.equals(DNS_VERSION);
  }
}
