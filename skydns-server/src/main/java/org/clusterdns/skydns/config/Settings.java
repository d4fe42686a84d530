package org.clusterdns.skydns.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The values that the etcd config object can override, as read from flags and environment, before
 * SkyDNS's after-load defaults (zero means default) are applied. Empty strings mean unset.
 *
 * <p>Mutable, but only while one load step fills it: {@link #copy()} gives each step its own.
 */
final class Settings implements Cloneable {
  String domain;
  InetSocketAddress addr;
  List<InetSocketAddress> nameservers;
  boolean noRec;
  String dnssec;
  String local;
  Duration readTimeout;
  boolean roundRobin;
  boolean nsRotate;
  long forwardMaxOutstanding;
  boolean systemd;
  String hostmaster;
  long signatureCacheSize;
  long responseCacheSize;
  long responseCacheTtl;
  long ndots;
  boolean wildcards;
  long priority;
  long ttl;
  long minTtl;

  /** Returns an independent copy; every field holds an immutable value, so a shallow copy is one. */
  Settings copy() {
    try {
      return (Settings) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }
}
