package org.clusterdns.skydns.backend;

import java.util.Objects;
import org.clusterdns.records.ServiceRecord;

/**
 * One service as loaded from etcd: its key, its value, and when its lease (if any) expires.
 *
 * @param key the etcd key, such as {@code /skydns/local/skydns/east/rails/1}
 * @param record the decoded value
 * @param leaseExpiresAtMillis the wall-clock time in milliseconds at which the key's lease expires,
 *     {@link #NO_LEASE} when the key has no lease, or {@link #UNKNOWN_LEASE} when it has one whose
 *     expiry has not been looked up yet
 */
public record ServiceEntry(String key, ServiceRecord record, long leaseExpiresAtMillis) {
  /** Marks an entry whose key has no lease. */
  public static final long NO_LEASE = Long.MAX_VALUE;
  /** Marks an entry whose key has a lease whose expiry is not known yet. */
  public static final long UNKNOWN_LEASE = Long.MIN_VALUE;
  /**
   * The longest TTL, in seconds, answered for a key whose lease expiry is not known yet. The
   * lease may end at any moment, so resolvers must not keep the answer for the default hour; the
   * lookup normally completes within milliseconds, so a short cap costs little.
   */
  static final long UNKNOWN_LEASE_MAX_TTL = 30;

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
   * {@code defaultTtl}; capped by the lease's remaining seconds when the key has a lease, and at
   * {@value #UNKNOWN_LEASE_MAX_TTL} s while that lease's expiry is not known yet.
   */
  public long effectiveTtl(long defaultTtl, long nowMillis) {
    long ttl = record.ttl() != 0 ? record.ttl() : defaultTtl;
    if (leaseExpiresAtMillis == UNKNOWN_LEASE) {
      return Math.min(ttl, UNKNOWN_LEASE_MAX_TTL);
    }
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
