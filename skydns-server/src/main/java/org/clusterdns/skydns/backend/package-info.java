/**
 * Read-side storage: which stored SkyDNS services match a name. The server answers from an
 * in-memory index of the whole etcd tree, kept current by a watch, so no query waits on etcd. No
 * DNS message is built here.
 */
package org.clusterdns.skydns.backend;
