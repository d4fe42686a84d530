/**
 * The SkyDNS 2 record format shared by the writer (kube2sky) and the reader (skydns-server): the
 * JSON value stored at one etcd leaf, and the mapping between DNS names and etcd keys.
 */
package org.clusterdns.records;
