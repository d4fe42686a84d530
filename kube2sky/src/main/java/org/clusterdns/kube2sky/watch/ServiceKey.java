package org.clusterdns.kube2sky.watch;

import java.util.Objects;

/**
 * Identifies one Service: the unit of work of the reconciler. Events about a Service and about
 * any of its EndpointSlices map to the same key.
 *
 * @param namespace the Service's namespace
 * @param name the Service's name
 */
public record ServiceKey(String namespace, String name) implements Comparable<ServiceKey> {
  /** Checks the arguments. */
  public ServiceKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public int compareTo(ServiceKey other) {
    int byNamespace = namespace.compareTo(other.namespace);
    return byNamespace != 0 ? byNamespace : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
