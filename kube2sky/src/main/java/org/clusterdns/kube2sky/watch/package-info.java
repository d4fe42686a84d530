/**
 * The cluster as kube2sky sees it: fabric8 informers for Services and EndpointSlices in all
 * namespaces, whose handlers only enqueue the affected Service's key, and a read-only view of
 * their caches for the reconciler.
 */
package org.clusterdns.kube2sky.watch;
