/**
 * Configuration: flags, SKYDNS_/ETCD_/PROMETHEUS_ environment variables and the etcd
 * {@code /<prefix>/config} object, merged with SkyDNS precedence (etcd over flags over
 * environment over defaults) into immutable config records.
 */
package org.clusterdns.skydns.config;
