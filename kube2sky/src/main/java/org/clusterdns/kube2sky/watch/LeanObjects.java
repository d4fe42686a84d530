package org.clusterdns.kube2sky.watch;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the informers' caches keep of a Service or an EndpointSlice: the fields the record functions
 * ({@code ServiceRecords}) read, and the namespace, name, resourceVersion and
 * {@value ClusterInformers#SERVICE_NAME_LABEL} label that the handlers and the index read, in
 * small records instead of fabric8's objects. Everything else (managed fields, annotations, other
 * labels, selectors, status, node ports, uids, timestamps, endpoints' topology and target
 * references) is dropped, and so are fabric8's collections for fields nobody set: at 100,000
 * Services the caches shrink several times over.
 *
 * <p>{@code toService} and {@code toEndpointSlice} turn a record back into a fabric8 object that
 * holds just those fields: what the record functions and the handlers get from the caches. A field
 * that was null stays null, lists keep their null elements, and a dropped collection reads as
 * empty, so the records computed from it equal those computed from the original.
 * Low-cardinality strings (namespaces, types, protocols, port names, address types) are interned,
 * so that 100,000 Services share them.
 */
final class LeanObjects {
  private LeanObjects() {}

  /** What kube2sky reads of a Service; {@code specSet} tells a Service without spec from one with an empty spec. */
  record LeanService(String namespace, String name, String resourceVersion, boolean specSet, String type,
      String clusterIP, List<String> clusterIPs, String externalName, Boolean publishNotReadyAddresses,
      List<LeanPort> ports) {

    /** Keeps what kube2sky reads of {@code service}. */
    static LeanService of(Service service) {
      ObjectMeta metadata = service.getMetadata();
      ServiceSpec spec = service.getSpec() == null ? new ServiceSpec() : service.getSpec();
      List<String> clusterIps = copy(spec.getClusterIPs(), Function.identity());
      // clusterIP is clusterIPs[0] when both are set: one string for both.
      String clusterIp = spec.getClusterIP();
      if (clusterIps != null && !clusterIps.isEmpty() && clusterIp != null && clusterIp.equals(clusterIps.get(0))) {
        clusterIp = clusterIps.get(0);
      }
      return new LeanService(shared(metadata == null ? null : metadata.getNamespace()),
          metadata == null ? null : metadata.getName(), metadata == null ? null : metadata.getResourceVersion(),
          service.getSpec() != null, shared(spec.getType()), clusterIp, clusterIps, spec.getExternalName(),
          spec.getPublishNotReadyAddresses(), copy(spec.getPorts(), LeanPort::of));
    }

    /** Returns a Service with only these fields. */
    Service toService() {
      Service service = new Service();
      service.setAdditionalProperties(Map.of());
      service.setMetadata(metadata(namespace, name, resourceVersion, Map.of()));
      if (specSet) {
        ServiceSpec spec = new ServiceSpec();
        spec.setAdditionalProperties(Map.of());
        spec.setExternalIPs(List.of());
        spec.setIpFamilies(List.of());
        spec.setLoadBalancerSourceRanges(List.of());
        spec.setSelector(Map.of());
        spec.setType(type);
        spec.setClusterIP(clusterIP);
        spec.setClusterIPs(clusterIPs);
        spec.setExternalName(externalName);
        spec.setPublishNotReadyAddresses(publishNotReadyAddresses);
        spec.setPorts(copy(ports, LeanPort::toServicePort));
        service.setSpec(spec);
      }
      return service;
    }
  }

  /** A port of a Service or an EndpointSlice: what its SRV records need. */
  record LeanPort(String name, String protocol, Integer port) {
    static LeanPort of(ServicePort port) {
      return new LeanPort(shared(port.getName()), shared(port.getProtocol()), port.getPort());
    }

    static LeanPort of(EndpointPort port) {
      return new LeanPort(shared(port.getName()), shared(port.getProtocol()), port.getPort());
    }

    ServicePort toServicePort() {
      ServicePort port = new ServicePort();
      port.setAdditionalProperties(Map.of());
      port.setName(name);
      port.setProtocol(protocol);
      port.setPort(this.port);
      return port;
    }

    EndpointPort toEndpointPort() {
      EndpointPort port = new EndpointPort();
      port.setAdditionalProperties(Map.of());
      port.setName(name);
      port.setProtocol(protocol);
      port.setPort(this.port);
      return port;
    }
  }

  /** What kube2sky reads of an EndpointSlice; {@code service} is its Service label, null without one. */
  record LeanSlice(String namespace, String name, String resourceVersion, String service, String addressType,
      List<LeanPort> ports, List<LeanEndpoint> endpoints) {

    /** Keeps what kube2sky reads of {@code slice}. */
    static LeanSlice of(EndpointSlice slice) {
      ObjectMeta metadata = slice.getMetadata();
      Map<String, String> labels = metadata == null ? null : metadata.getLabels();
      return new LeanSlice(shared(metadata == null ? null : metadata.getNamespace()),
          metadata == null ? null : metadata.getName(), metadata == null ? null : metadata.getResourceVersion(),
          labels == null ? null : labels.get(ClusterInformers.SERVICE_NAME_LABEL), shared(slice.getAddressType()),
          copy(slice.getPorts(), LeanPort::of), copy(slice.getEndpoints(), LeanEndpoint::of));
    }

    /** Returns an EndpointSlice with only these fields. */
    EndpointSlice toEndpointSlice() {
      EndpointSlice slice = new EndpointSlice();
      slice.setAdditionalProperties(Map.of());
      slice.setMetadata(metadata(namespace, name, resourceVersion,
          service == null ? Map.of() : Map.of(ClusterInformers.SERVICE_NAME_LABEL, service)));
      slice.setAddressType(addressType);
      slice.setPorts(copy(ports, LeanPort::toEndpointPort));
      slice.setEndpoints(copy(endpoints, LeanEndpoint::toEndpoint));
      return slice;
    }
  }

  /**
   * An endpoint of a slice: its addresses, hostname and ready condition; {@code conditionsSet}
   * tells an endpoint without conditions from one with an unknown ready condition.
   */
  record LeanEndpoint(List<String> addresses, String hostname, boolean conditionsSet, Boolean ready) {
    static LeanEndpoint of(Endpoint endpoint) {
      EndpointConditions conditions = endpoint.getConditions();
      return new LeanEndpoint(copy(endpoint.getAddresses(), Function.identity()), endpoint.getHostname(),
          conditions != null, conditions == null ? null : conditions.getReady());
    }

    Endpoint toEndpoint() {
      Endpoint endpoint = new Endpoint();
      endpoint.setAdditionalProperties(Map.of());
      endpoint.setDeprecatedTopology(Map.of());
      endpoint.setAddresses(addresses);
      endpoint.setHostname(hostname);
      if (conditionsSet) {
        EndpointConditions conditions = new EndpointConditions();
        conditions.setAdditionalProperties(Map.of());
        conditions.setReady(ready);
        endpoint.setConditions(conditions);
      }
      return endpoint;
    }
  }

  private static ObjectMeta metadata(String namespace, String name, String resourceVersion,
      Map<String, String> labels) {
    ObjectMeta metadata = new ObjectMeta();
    metadata.setAdditionalProperties(Map.of());
    metadata.setAnnotations(Map.of());
    metadata.setFinalizers(List.of());
    metadata.setManagedFields(List.of());
    metadata.setOwnerReferences(List.of());
    metadata.setLabels(labels);
    metadata.setNamespace(namespace);
    metadata.setName(name);
    metadata.setResourceVersion(resourceVersion);
    return metadata;
  }

  /**
   * Returns an unmodifiable copy of {@code list} mapped element by element, null elements kept
   * (the record functions report them); null stays null.
   */
  private static <T, R> List<R> copy(List<T> list, Function<T, R> element) {
    if (list == null) {
      return null;
    }
    List<R> copy = new ArrayList<>(list.size());
    boolean nulls = false;
    for (T item : list) {
      nulls |= item == null;
      copy.add(item == null ? null : element.apply(item));
    }
    // List.copyOf is the most compact, but refuses null elements.
    return nulls ? Collections.unmodifiableList(copy) : List.copyOf(copy);
  }

  private static String shared(String text) {
    return text == null ? null : text.intern();
  }
}
