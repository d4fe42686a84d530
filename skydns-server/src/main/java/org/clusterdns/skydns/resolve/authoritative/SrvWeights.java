package org.clusterdns.skydns.resolve.authoritative;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SRV weights as SkyDNS computes them (spec 9.2): within one priority each service gets its share
 * of 100, rounded down; an unset weight counts as 100. Three unset weights give 33/33/33;
 * 120/100/130 give 34/28/37.
 */
final class SrvWeights {
  private SrvWeights() {}

  /** A stored weight, with 0 meaning "unset". */
  static int effective(int storedWeight) {
    return storedWeight == 0 ? 100 : storedWeight;
  }

  /**
   * Returns the weight to publish for each {@code (priority, effective weight)} pair, in order.
   *
   * @param priorities the priority of each SRV record
   * @param weights the effective weight of each SRV record, same order
   */
  static int[] compute(List<Integer> priorities, List<Integer> weights) {
    Map<Integer, Long> sums = new HashMap<>();
    for (int i = 0; i < priorities.size(); i++) {
      sums.merge(priorities.get(i), (long) weights.get(i), Long::sum);
    }
    int[] result = new int[weights.size()];
    for (int i = 0; i < weights.size(); i++) {
      double share = (100.0 / sums.get(priorities.get(i))) * weights.get(i);
      // Hostile weights (negative, summing to 0) give infinities or NaN; the cast keeps it a number.
      result[i] = (int) ((long) Math.floor(share) & 0xFFFF);
    }
    return result;
  }
}
