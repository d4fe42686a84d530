package org.clusterdns.kube2sky;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.clusterdns.kube2sky.watch.ClusterInformers;

/** Services and EndpointSlices as the end-to-end tests create them through the API. */
final class TestServices {
  private TestServices() {}

  /**
   * Returns a ClusterIP Service with the named TCP port {@code http} on {@code port} and the given
   * cluster IPs (the first one is {@code spec.clusterIP}); empty IPs let a real API server allocate.
   */
  static Service clusterIp(String namespace, String name, int port, String... clusterIps) {
    ServiceBuilder builder = new ServiceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withNewSpec().withType("ClusterIP")
        .addNewPort().withName("http").withProtocol("TCP").withPort(port).endPort()
        .endSpec();
    if (clusterIps.length > 0) {
      builder.editSpec().withClusterIP(clusterIps[0]).withClusterIPs(clusterIps).endSpec();
    }
    return builder.build();
  }

  /** Returns a headless Service (no selector, so its slices are the test's) with the named TCP port {@code http} 80. */
  static Service headless(String namespace, String name) {
    return new ServiceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withNewSpec().withType("ClusterIP").withClusterIP("None").withClusterIPs("None")
        .addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort()
        .endSpec()
        .build();
  }

  /** Returns an ExternalName Service pointing at {@code externalName}. */
  static Service externalName(String namespace, String name, String externalName) {
    return new ServiceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withNewSpec().withType("ExternalName").withExternalName(externalName).endSpec()
        .build();
  }

  /** Returns an IPv4 EndpointSlice of Service {@code service} with port {@code http} 80/TCP. */
  static EndpointSlice slice(String namespace, String name, String service, List<Endpoint> endpoints) {
    return new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name)
        .addToLabels(ClusterInformers.SERVICE_NAME_LABEL, service)
        .addToLabels("endpointslice.kubernetes.io/managed-by", "kube2sky-tests")
        .endMetadata()
        .withAddressType("IPv4")
        .withEndpoints(endpoints)
        .addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort()
        .build();
  }

  /** Returns an endpoint with one address, ready or not, with {@code hostname} unless it is null. */
  static Endpoint endpoint(String ip, boolean ready, String hostname) {
    return new EndpointBuilder().withAddresses(ip).withHostname(hostname)
        .withNewConditions().withReady(ready).endConditions()
        .build();
  }

  /** Creates {@code service}, or replaces the one of that name, and returns what the API server stored. */
  static Service apply(KubernetesClient client, Service service) {
    var resource = client.services().inNamespace(service.getMetadata().getNamespace()).resource(service);
    Service existing = resource.get();
    if (existing == null) {
      return resource.create();
    }
    service.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    return resource.update();
  }

  /** Creates {@code slice}, or replaces the one of that name. */
  static EndpointSlice apply(KubernetesClient client, EndpointSlice slice) {
    var resource = client.discovery().v1().endpointSlices().inNamespace(slice.getMetadata().getNamespace())
        .resource(slice);
    EndpointSlice existing = resource.get();
    if (existing == null) {
      return resource.create();
    }
    slice.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    return resource.update();
  }

  /** Deletes the Service {@code namespace/name}. */
  static void deleteService(KubernetesClient client, String namespace, String name) {
    client.services().inNamespace(namespace).withName(name).delete();
  }
}
