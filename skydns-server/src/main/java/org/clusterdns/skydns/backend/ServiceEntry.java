package org.clusterdns.skydns.backend;

import java.util.Objects;
import org.clusterdns.records.ServiceRecord;

/**
 * One service as loaded from etcd: its key, its value, and when its lease (if any) expires.
 *
 * @param key the etcd key, such as {@code /skydns/local/skydns/east/rails/1}
 * @param record the decoded value
 * @param leaseExpiresAtMillis the wall-clock time in milliseconds at which the key's lease expires,
 *     or {@link #NO_LEASE} when the key has no lease (or its expiry is not known yet)
 */
public record ServiceEntry(String key, ServiceRecord record, long leaseExpiresAtMillis) {
  /** Marks an entry whose key has no lease. */
  public static final long NO_LEASE = Long.MAX_VALUE;

  /** Checks the arguments. */
  public ServiceEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(record, "record");
  }

  /** Creates an entry for a key without a lease. */
  public static ServiceEntry of(String key, ServiceRecord record) {
    return new ServiceEntry(key, record, NO_LEASE);
  }

  /**
   * Returns the TTL to answer with, SkyDNS's rule: the record's {@code ttl} if set, else
   * {@code defaultTtl}; capped by the lease's remaining seconds when the key has a lease.
   */
  public long effectiveTtl(long defaultTtl, long nowMillis) {
    long ttl = record.ttl() != 0 ? record.ttl() : defaultTtl;
    if (leaseExpiresAtMillis != NO_LEASE) {
      long remaining = Math.max(0, (leaseExpiresAtMillis - nowMillis + 999) / 1000);
      ttl = record.ttl() != 0 ? Math.min(ttl, remaining) : remaining;
    }
    return ttl;
  }

  /** Returns the number of {@code /} in the key, the depth the group filter compares. */
  public int depth() {
    int depth = 0;
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) == '/') {
        depth++;
      }
    }
    return depth;
  }
}
