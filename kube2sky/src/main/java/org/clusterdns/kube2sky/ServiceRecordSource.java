package org.clusterdns.kube2sky;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.clusterdns.kube2sky.records.DesiredRecords;
import org.clusterdns.kube2sky.records.ServiceRecords;
import org.clusterdns.kube2sky.sync.RecordSource;
import org.clusterdns.kube2sky.watch.ClusterState;
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.clusterdns.records.MalformedRecordException;
import org.clusterdns.records.ServiceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desired records of the cluster: the informers' caches run through the record functions.
 * This is where the three parts of kube2sky meet; it holds no state of its own.
 */
final class ServiceRecordSource implements RecordSource {
  private static final Logger log = LoggerFactory.getLogger(ServiceRecordSource.class);

  private final ClusterState cluster;
  private final ServiceRecords records;

  ServiceRecordSource(ClusterState cluster, ServiceRecords records) {
    this.cluster = cluster;
    this.records = records;
  }

  @Override
  public Set<ServiceKey> services() {
    return cluster.services();
  }

  @Override
  public boolean isComplete() {
    return cluster.hasSynced();
  }

  @Override
  public Desired desired(ServiceKey key) {
    Optional<Service> service = cluster.service(key);
    if (service.isEmpty()) {
      return Desired.NONE;
    }
    DesiredRecords desired = records.forService(service.get(), cluster.endpointSlices(key));
    for (String problem : desired.problems()) {
      log.warn("service {}: {}", key, problem);
    }
    Map<String, String> leaves = new LinkedHashMap<>();
    desired.leaves().forEach((leafKey, value) -> leaves.put(leafKey, value.toJson()));
    List<PtrClaim> claims = new ArrayList<>(desired.ptrClaims().size());
    for (org.clusterdns.kube2sky.records.PtrClaim claim : desired.ptrClaims()) {
      claims.add(new PtrClaim(claim.key(), claim.value().toJson(), rank(claim)));
    }
    return new Desired(leaves, claims);
  }

  /**
   * The resourceVersions of the Service and its EndpointSlices: they change with every change the
   * API server accepts, so equal versions mean equal records.
   */
  @Override
  public String version(ServiceKey key) {
    Optional<Service> service = cluster.service(key);
    if (service.isEmpty()) {
      return "absent";
    }
    String serviceVersion = service.get().getMetadata().getResourceVersion();
    if (serviceVersion == null) {
      return null;
    }
    StringBuilder version = new StringBuilder(serviceVersion);
    for (EndpointSlice slice : cluster.endpointSlices(key)) {
      if (slice.getMetadata().getResourceVersion() == null) {
        return null;
      }
      version.append('/').append(slice.getMetadata().getName())
          .append('@').append(slice.getMetadata().getResourceVersion());
    }
    return version.toString();
  }

  /**
   * Cluster IPs before endpoints, then by owner and hostname: the records module's order as a
   * string. The separator sorts below every character of a Kubernetes name, so that {@code web}
   * comes before {@code web-2} as it does field by field.
   */
  static String rank(org.clusterdns.kube2sky.records.PtrClaim claim) {
    return claim.kind().ordinal() + " " + claim.owner().namespace() + " " + claim.owner().name() + " "
        + claim.hostname();
  }

  @Override
  public List<String> ownedDirectories(ServiceKey key) {
    List<String> directories = new ArrayList<>(2);
    directories.add(records.directoryKey(key));
    records.legacyDirectoryKey(key).ifPresent(directories::add);
    return directories;
  }

  @Override
  public Optional<ServiceKey> owner(String key) {
    return records.owner(key);
  }

  @Override
  public Map<String, String> clusterLeaves() {
    Map<String, String> leaves = new LinkedHashMap<>();
    records.clusterRecords().forEach((key, value) -> leaves.put(key, value.toJson()));
    return leaves;
  }

  @Override
  public String root() {
    return records.config().path().root();
  }

  @Override
  public boolean isManaged(String key, String value) {
    ServiceRecord record;
    try {
      record = ServiceRecord.fromJson(value.getBytes(UTF_8));
    } catch (MalformedRecordException e) {
      record = null; // not a record kube2sky wrote
    }
    return records.isManaged(key, record);
  }
}
