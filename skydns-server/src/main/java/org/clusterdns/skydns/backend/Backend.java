package org.clusterdns.skydns.backend;

import java.util.Optional;

/**
 * The stored services a DNS name matches: "which records are at this name (exact) or at and below
 * it (subtree)", and nothing else.
 *
 * @implNote Implementations are thread-safe and never block: every call answers from memory. They
 *     never return null and never throw for names that are absent.
 */
public interface Backend {

  /**
   * Returns the services stored at {@code name} and, unless {@code exact}, at every name below it
   * at any depth, in key order. Wildcard labels ({@code *}, {@code any}) match any one label.
   *
   * @param name a lower-case absolute name
   * @param exact whether only a service stored exactly at the name counts
   */
  Lookup records(String name, boolean exact);

  /**
   * Returns the one service stored exactly at a reverse name ({@code 1.0.0.10.in-addr.arpa.}), or
   * empty when there is none, the name is a directory, or it holds a wildcard.
   */
  Optional<ServiceEntry> reverseRecord(String name);

  /** Returns whether the first full load is complete; before it every answer would be wrong. */
  boolean isSynced();

  /**
   * Returns a number that changes whenever the stored data changes, so that caches of answers can
   * tell when to drop what they hold.
   */
  long generation();
}
