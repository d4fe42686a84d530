package org.clusterdns.kube2sky.records;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.clusterdns.records.EtcdPath;
import org.clusterdns.records.IpLiterals;
import org.clusterdns.records.ServiceRecord;

/**
 * Computes the etcd leaves that publish a Service as the Kubernetes DNS specification 1.1.0
 * requires, in the SkyDNS 2 layout the last kube2sky wrote. Pure: no I/O, no clock; the same input
 * always yields equal keys and values, whatever the order of slices, endpoints or addresses.
 *
 * <p>With {@code D} the domain, a Service's directory is {@code <svc>.<ns>.svc.D}, the key
 * {@code /skydns/<D reversed>/svc/<ns>/<svc>}. Service leaves hold {@code priority 10, weight 10}
 * and the configured TTL, as kube2sky wrote them.
 * <ul>
 *   <li>ClusterIP (also NodePort, LoadBalancer): per cluster IP ({@code spec.clusterIPs}, else
 *       {@code spec.clusterIP}) the leaf {@code <dir>/<h>} holding the IP; per named port the SRV
 *       leaf {@code <dir>/_<proto>/_<port>/<h>} with host {@code <svc>.<ns>.svc.D.}. One SRV leaf
 *       per port, whatever the number of cluster IPs.
 *   <li>Headless ({@code None}): per ready endpoint a label, its hostname or else {@code <h>} of
 *       its smallest address; per address a leaf under that label; per named port of the endpoint's
 *       slice the SRV leaf {@code <dir>/_<proto>/_<port>/<label>} with host
 *       {@code <label>.<svc>.<ns>.svc.D.}. No ready endpoint, no leaf: the name is NXDOMAIN.
 *   <li>A label with several values (a hostname with IPv4 and IPv6 addresses, from one endpoint or
 *       from two slices; two hash labels that collide) becomes a directory:
 *       {@code <dir>/<label>/<h64>} per value, {@code <h64>} the FNV-1a 64 hash of its JSON. SkyDNS answers
 *       a name with every leaf below it, so {@code <label>.<svc>.<ns>.svc.D} answers all its
 *       addresses and the SRV target stays the same.
 *   <li>ExternalName: one leaf at the directory key itself with host = the external name made
 *       absolute, which the server answers as a CNAME (also to CNAME questions, which read the exact
 *       key). An external name that is an IP literal is published as that address (A or AAAA)
 *       instead, since a CNAME to a number would never resolve. No SRV, no PTR.
 *   <li>PTR claims: per cluster IP, target {@code <svc>.<ns>.svc.D.}; per address of a headless
 *       endpoint with a hostname, target {@code <hostname>.<svc>.<ns>.svc.D.}.
 *   <li>Legacy names (when configured): every leaf is also written under
 *       {@code /skydns/<D reversed>/<ns>/<svc>}, except for namespaces whose legacy names would fall
 *       into the domain's own names ({@code svc}, {@code pod}, {@code dns}, {@code dns-version}).
 * </ul>
 * {@code <h>} is the FNV-1a 32 hash, in lower-case hexadecimal, of the leaf's canonical JSON
 * ({@link ServiceRecord#toJson()}), so an unchanged Service never causes a write.
 *
 * @implNote Immutable and thread-safe. Malformed input never throws: what cannot be published is
 *     skipped and reported in {@link DesiredRecords#problems()}.
 */
public final class ServiceRecords {
  /** The version of the Kubernetes DNS schema the records follow, answered at {@code dns-version.D}. */
  static final String SCHEMA_VERSION = "1.1.0";
  /** The TTL of the schema version record, as in the specification's example. */
  static final long SCHEMA_VERSION_TTL = 28800;

  private static final int PRIORITY = 10;
  private static final int WEIGHT = 10;
  private static final String HEADLESS = "None";
  private static final String EXTERNAL_NAME = "ExternalName";
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  // Legacy names <svc>.<ns>.D for these namespaces would land among the domain's own names.
  private static final Set<String> RESERVED_LEGACY_NAMESPACES = Set.of("svc", "pod", "dns", "dns-version");

  private final RecordsConfig config;
  private final String domainKey;
  private final String servicesKey;
  private final String dnsVersionKey;
  private final String reverseKeys;
  private final String serviceSuffix;

  /** Creates the record functions for one configuration. */
  public ServiceRecords(RecordsConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    EtcdPath path = config.path();
    this.domainKey = path.key(config.domain());
    this.servicesKey = path.key("svc." + config.domain());
    this.dnsVersionKey = path.key("dns-version." + config.domain());
    this.reverseKeys = path.key("arpa.") + "/";
    this.serviceSuffix = ".svc." + config.domain();
  }

  /** Returns the configuration these functions use. */
  public RecordsConfig config() {
    return config;
  }

  /**
   * Returns every leaf the Service should own and the reverse leaves it claims, computed from the
   * Service and its EndpointSlices (used only when the Service is headless).
   *
   * @param service the Service; a malformed one yields no leaves and a problem
   * @param slices the Service's EndpointSlices in any order; null counts as none
   */
  public DesiredRecords forService(Service service, List<EndpointSlice> slices) {
    List<String> problems = new ArrayList<>();
    ServiceKey key = keyOf(service, problems);
    if (key == null) {
      return DesiredRecords.nothing(problems);
    }
    ServiceSpec spec = service.getSpec();
    if (spec == null) {
      problems.add("the Service has no spec: nothing published");
      return DesiredRecords.nothing(problems);
    }
    if (EtcdPath.isWildcardLabel(key.name()) || EtcdPath.isWildcardLabel(key.namespace())) {
      // Published all the same, but SkyDNS reads a label "any" as a wildcard: say why answers differ.
      problems.add("'any' is a wildcard label in SkyDNS: " + key.name() + "." + key.namespace()
          + ".svc." + config.domain() + " answers with every Service it matches, and is NXDOMAIN"
          + " when the server's wildcards are off");
    }
    String directory = directoryKey(key);
    Map<String, ServiceRecord> leaves = new TreeMap<>();
    Set<PtrClaim> claims = new TreeSet<>();
    if (EXTERNAL_NAME.equals(spec.getType())) {
      externalName(spec.getExternalName(), directory, leaves, problems);
    } else {
      List<String> clusterIps = clusterIps(spec);
      if (clusterIps.contains(HEADLESS)) {
        headless(key, spec, slices, leaves, claims, problems);
      } else {
        clusterIp(key, spec, clusterIps, leaves, claims, problems);
      }
    }
    if (config.legacyNames() && !leaves.isEmpty()) {
      Optional<String> legacy = legacyDirectoryKey(key);
      if (legacy.isEmpty()) {
        problems.add("legacy name " + key.name() + "." + key.namespace() + "." + config.domain()
            + " not written: namespace '" + key.namespace() + "' is reserved by the domain's own names");
      } else {
        for (Map.Entry<String, ServiceRecord> leaf : new ArrayList<>(leaves.entrySet())) {
          leaves.put(legacy.get() + leaf.getKey().substring(directory.length()), leaf.getValue());
        }
      }
    }
    return new DesiredRecords(leaves, new ArrayList<>(claims), problems);
  }

  /**
   * Returns the leaves that belong to the cluster rather than to a Service: the schema version
   * {@code dns-version.D} (TXT {@code 1.1.0}, TTL 28800).
   */
  public Map<String, ServiceRecord> clusterRecords() {
    return Map.of(dnsVersionKey,
        new ServiceRecord("", 0, 0, 0, SCHEMA_VERSION, false, SCHEMA_VERSION_TTL, 0, ""));
  }

  /**
   * Returns the Service's directory, {@code /skydns/<D reversed>/svc/<ns>/<svc>}. The Service owns
   * this key itself and every key below {@code <directory>/} (not every key the raw string
   * prefixes: {@code .../web} is not {@code .../web2}).
   */
  public String directoryKey(ServiceKey key) {
    return config.path().key(key.name() + "." + key.namespace() + serviceSuffix);
  }

  /**
   * Returns the Service's legacy directory, {@code /skydns/<D reversed>/<ns>/<svc>}, which it owns
   * like its directory; empty when legacy names are off or the namespace is one of the reserved
   * ({@code svc}, {@code pod}, {@code dns}, {@code dns-version}).
   */
  public Optional<String> legacyDirectoryKey(ServiceKey key) {
    if (!config.legacyNames() || RESERVED_LEGACY_NAMESPACES.contains(key.namespace())) {
      return Optional.empty();
    }
    return Optional.of(config.path().key(key.name() + "." + key.namespace() + "." + config.domain()));
  }

  /**
   * Returns the Service whose directory (or legacy directory, when legacy names are on) holds
   * {@code key}, whether or not such a Service exists; empty for keys outside every Service
   * directory. The garbage collection deletes the keys of Services that no longer exist.
   */
  public Optional<ServiceKey> owner(String key) {
    Optional<ServiceKey> owner = ownerUnder(servicesKey, key);
    if (owner.isEmpty() && config.legacyNames()) {
      owner = ownerUnder(domainKey, key)
          .filter(candidate -> !RESERVED_LEGACY_NAMESPACES.contains(candidate.namespace()));
    }
    return owner;
  }

  /**
   * Returns whether {@code key} is kube2sky's to write and delete: the schema version leaf, any key
   * under {@code /skydns/<D reversed>/svc/}, the legacy directories when legacy names are on, and
   * reverse leaves whose host is a Service name ({@code ...svc.D}). Other keys (the server's
   * configuration, records written by hand) are never touched. A legacy directory
   * ({@code <svc>.<ns>.D}) shares the domain with hand-written records such as
   * {@code db.hosts.D}, so a key there counts only when its value has the shape kube2sky writes.
   *
   * @param value the key's value; null when it is not a valid record (then a reverse or legacy
   *     key is not kube2sky's, which never writes invalid values)
   */
  public boolean isManaged(String key, ServiceRecord value) {
    if (key.equals(dnsVersionKey) || key.startsWith(servicesKey + "/")) {
      return true;
    }
    if (owner(key).isPresent()) {
      return value != null && value.priority() == PRIORITY && value.weight() == WEIGHT
          && value.ttl() == config.ttl();
    }
    return key.startsWith(reverseKeys)
        && value != null
        && value.hostAsName().toLowerCase(Locale.ROOT).endsWith(serviceSuffix);
  }

  private void externalName(
      String externalName, String directory, Map<String, ServiceRecord> leaves, List<String> problems) {
    if (externalName == null || externalName.isEmpty()) {
      problems.add("the ExternalName Service has no externalName: nothing published");
      return;
    }
    Optional<InetAddress> address = IpLiterals.parse(externalName);
    if (address.isPresent()) {
      leaves.put(directory, record(AddressText.format(address.get()), 0));
      return;
    }
    String name = externalName.toLowerCase(Locale.ROOT);
    name = name.endsWith(".") ? name : name + ".";
    if (!isDnsName(name)) {
      problems.add("externalName '" + externalName + "' is not a DNS name: nothing published");
      return;
    }
    leaves.put(directory, record(name, 0));
  }

  private void clusterIp(ServiceKey key, ServiceSpec spec, List<String> clusterIps,
      Map<String, ServiceRecord> leaves, Set<PtrClaim> claims, List<String> problems) {
    TreeMap<String, InetAddress> addresses = addresses(clusterIps, "cluster IP", problems);
    if (addresses.isEmpty()) {
      if (clusterIps.isEmpty()) {
        problems.add("the Service has no cluster IP yet: nothing published");
      }
      return;
    }
    String directory = directoryKey(key);
    String name = serviceName(key);
    LeafSet set = new LeafSet();
    for (Map.Entry<String, InetAddress> address : addresses.entrySet()) {
      set.addHashed(directory, record(address.getKey(), 0));
      claims.add(new PtrClaim(config.path().reverseKey(address.getValue()), pointer(name),
          PtrClaim.Kind.CLUSTER_IP, key, ""));
    }
    for (ServicePort port : nonNull(spec.getPorts())) {
      if (port != null) {
        srvPort(port.getName(), port.getProtocol(), port.getPort(), problems)
            .ifPresent(srv -> set.addHashed(directory + srv.directory(), record(name, srv.number())));
      }
    }
    set.writeTo(leaves);
  }

  private void headless(ServiceKey key, ServiceSpec spec, List<EndpointSlice> slices,
      Map<String, ServiceRecord> leaves, Set<PtrClaim> claims, List<String> problems) {
    boolean everyEndpoint = Boolean.TRUE.equals(spec.getPublishNotReadyAddresses());
    String directory = directoryKey(key);
    String name = serviceName(key);
    LeafSet set = new LeafSet();
    for (EndpointSlice slice : nonNull(slices)) {
      if (slice == null) {
        continue;
      }
      String addressType = slice.getAddressType();
      if (!"IPv4".equals(addressType) && !"IPv6".equals(addressType)) {
        if (!"FQDN".equals(addressType)) {
          problems.add("EndpointSlice " + sliceName(slice) + " has address type '" + addressType
              + "': skipped");
        }
        continue;
      }
      List<SrvPort> ports = new ArrayList<>();
      for (EndpointPort port : nonNull(slice.getPorts())) {
        if (port != null) {
          srvPort(port.getName(), port.getProtocol(), port.getPort(), problems).ifPresent(ports::add);
        }
      }
      for (Endpoint endpoint : nonNull(slice.getEndpoints())) {
        if (endpoint == null || !(everyEndpoint || isReady(endpoint.getConditions()))) {
          continue;
        }
        TreeMap<String, InetAddress> addresses =
            addresses(nonNull(endpoint.getAddresses()), "endpoint address", problems);
        if (addresses.isEmpty()) {
          continue;
        }
        String hostname = hostname(endpoint.getHostname(), problems);
        String label = hostname.isEmpty()
            ? LeafSet.hashLabel(record(addresses.firstKey(), 0).toJson())
            : hostname;
        String target = label + "." + name;
        for (Map.Entry<String, InetAddress> address : addresses.entrySet()) {
          set.add(directory, label, record(address.getKey(), 0));
          if (!hostname.isEmpty()) {
            claims.add(new PtrClaim(config.path().reverseKey(address.getValue()), pointer(target),
                PtrClaim.Kind.ENDPOINT, key, hostname));
          }
        }
        for (SrvPort port : ports) {
          set.add(directory + port.directory(), label, record(target, port.number()));
        }
      }
    }
    set.writeTo(leaves);
  }

  /** Returns the Service's name {@code <svc>.<ns>.svc.D.}. */
  private String serviceName(ServiceKey key) {
    return key.name() + "." + key.namespace() + serviceSuffix;
  }

  private ServiceRecord record(String host, int port) {
    return new ServiceRecord(host, port, PRIORITY, WEIGHT, "", false, config.ttl(), 0, "");
  }

  private ServiceRecord pointer(String target) {
    return new ServiceRecord(target, 0, 0, 0, "", false, config.ttl(), 0, "");
  }

  private static ServiceKey keyOf(Service service, List<String> problems) {
    ObjectMeta metadata = service == null ? null : service.getMetadata();
    String namespace = metadata == null ? null : metadata.getNamespace();
    String name = metadata == null ? null : metadata.getName();
    if (!isDnsLabel(namespace) || !isDnsLabel(name)) {
      problems.add("the Service's namespace '" + namespace + "' or name '" + name
          + "' is not a DNS label: nothing published");
      return null;
    }
    return new ServiceKey(namespace, name);
  }

  /** Returns the Service of {@code <directory>/<ns>/<svc>[/...]}, when the key has that shape. */
  private static Optional<ServiceKey> ownerUnder(String directory, String key) {
    if (!key.startsWith(directory + "/")) {
      return Optional.empty();
    }
    String[] segments = key.substring(directory.length() + 1).split("/", 3);
    if (segments.length < 2 || segments[0].isEmpty() || segments[1].isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ServiceKey(segments[0], segments[1]));
  }

  private static List<String> clusterIps(ServiceSpec spec) {
    List<String> clusterIps = spec.getClusterIPs();
    if (clusterIps != null && !clusterIps.isEmpty()) {
      return clusterIps;
    }
    return spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP());
  }

  /** Parses the addresses, skipping and reporting malformed ones; keyed by canonical text, sorted. */
  private static TreeMap<String, InetAddress> addresses(
      List<String> texts, String what, List<String> problems) {
    TreeMap<String, InetAddress> addresses = new TreeMap<>();
    for (String text : texts) {
      Optional<InetAddress> address = IpLiterals.parse(text);
      if (address.isPresent()) {
        addresses.put(AddressText.format(address.get()), address.get());
      } else {
        problems.add(what + " '" + text + "' is not an IP address: skipped");
      }
    }
    return addresses;
  }

  /** Returns the endpoint's hostname lower-cased, or empty when it has none or it is no DNS label. */
  private static String hostname(String hostname, List<String> problems) {
    if (hostname == null || hostname.isEmpty()) {
      return "";
    }
    String lowered = hostname.toLowerCase(Locale.ROOT);
    if (isDnsLabel(lowered)) {
      return lowered;
    }
    problems.add("endpoint hostname '" + hostname + "' is not a DNS label: labelled by a hash instead");
    return "";
  }

  /** Returns the SRV directory of a named port; empty for unnamed ports and unusable ones. */
  private static Optional<SrvPort> srvPort(
      String name, String protocol, Integer number, List<String> problems) {
    if (name == null || name.isEmpty()) {
      return Optional.empty(); // the specification gives unnamed ports no SRV record
    }
    String port = name.toLowerCase(Locale.ROOT);
    String proto = protocol == null || protocol.isEmpty() ? "tcp" : protocol.toLowerCase(Locale.ROOT);
    if (!isDnsLabel(port) || !isDnsLabel(proto)) {
      problems.add("port '" + name + "' with protocol '" + protocol
          + "' cannot be an SRV name: no SRV record");
      return Optional.empty();
    }
    if (number == null || number < 1 || number > 65535) {
      problems.add("port '" + name + "' has no valid port number (" + number + "): no SRV record");
      return Optional.empty();
    }
    return Optional.of(new SrvPort("/_" + proto + "/_" + port, number));
  }

  private static boolean isReady(EndpointConditions conditions) {
    // The discovery API: a nil ready condition means unknown, which consumers treat as ready.
    return conditions == null || conditions.getReady() == null || conditions.getReady();
  }

  private static String sliceName(EndpointSlice slice) {
    return slice.getMetadata() == null ? "(unnamed)" : slice.getMetadata().getName();
  }

  private static boolean isDnsLabel(String text) {
    return text != null && DNS_LABEL.matcher(text).matches();
  }

  /** Returns whether an absolute, lower-case name is made of DNS labels and fits 253 characters. */
  private static boolean isDnsName(String name) {
    if (name.length() > 254 || name.equals(".")) {
      return false;
    }
    for (String label : name.substring(0, name.length() - 1).split("\\.", -1)) {
      if (!isDnsLabel(label)) {
        return false;
      }
    }
    return true;
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** The SRV directory ({@code /_<proto>/_<port>}) below a Service directory, and the port number. */
  private record SrvPort(String directory, int number) {}
}
