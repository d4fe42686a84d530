/**
 * Reaching etcd: the connection settings shared by skydns-server and kube2sky (endpoints, TLS,
 * authentication, key prefix, timeouts) and the jetcd client built from them.
 */
package org.clusterdns.etcd;
