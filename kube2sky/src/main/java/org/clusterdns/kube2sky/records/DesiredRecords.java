package org.clusterdns.kube2sky.records;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.clusterdns.records.ServiceRecord;

/**
 * Everything one Service should have in etcd, as computed from the Service and its EndpointSlices.
 *
 * @param leaves every key the Service owns and its value: keys at and under the Service's
 *     directory, and under its legacy directory when legacy names are on; iterates in key order
 * @param ptrClaims the reverse ({@code /skydns/arpa/...}) leaves the Service would like to own, in
 *     their natural order; several Services may claim one key, and the smallest claim
 *     ({@link PtrClaim#compareTo}) wins
 * @param problems what was wrong with the input and skipped (a malformed address, an invalid
 *     hostname...), one sentence each, for the caller to log with the Service's key
 */
public record DesiredRecords(
    Map<String, ServiceRecord> leaves, List<PtrClaim> ptrClaims, List<String> problems) {

  /** Copies the arguments into immutable collections, the leaves sorted by key. */
  public DesiredRecords {
    leaves = Collections.unmodifiableSortedMap(new TreeMap<>(leaves));
    ptrClaims = List.copyOf(ptrClaims);
    problems = List.copyOf(problems);
  }

  /** Returns the records of a Service that publishes nothing, with the reasons why. */
  static DesiredRecords nothing(List<String> problems) {
    return new DesiredRecords(Map.of(), List.of(), problems);
  }
}
