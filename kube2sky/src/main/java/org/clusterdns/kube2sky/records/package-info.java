/**
 * The DNS records of the Kubernetes DNS specification (schema 1.1.0) as SkyDNS 2 leaves: pure
 * functions from a Service and its EndpointSlices to the etcd keys and values that publish them.
 * No I/O.
 */
package org.clusterdns.kube2sky.records;
