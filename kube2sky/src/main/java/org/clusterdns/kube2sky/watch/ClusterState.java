package org.clusterdns.kube2sky.watch;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the informers' caches hold: the reconciler's read-only view of the cluster.
 *
 * @implNote Thread-safe; answers from memory and never calls the API server.
 */
public interface ClusterState {

  /** Returns the Service, or empty when it does not exist (deleted, or not yet seen). */
  Optional<Service> service(ServiceKey key);

  /**
   * Returns the EndpointSlices of the Service (those labelled {@code kubernetes.io/service-name}
   * with its name, in its namespace), in a stable order; empty when there are none.
   */
  List<EndpointSlice> endpointSlices(ServiceKey key);

  /** Returns the keys of every Service in the cache. */
  Set<ServiceKey> services();

  /** Returns whether both caches have completed their first list, so the view is complete. */
  boolean hasSynced();
}
