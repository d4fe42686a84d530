package org.clusterdns.skydns.resolve.authoritative;

import java.util.ArrayList;
import java.util.List;
import org.clusterdns.skydns.backend.ServiceEntry;

/**
 * SkyDNS's group filter (spec 9.1): the shallowest grouped service chooses the group of the whole
 * answer; services without a group are always kept; services of other groups are dropped, unless
 * one sits at the chosen depth, in which case the groups disagree and nothing is filtered.
 */
final class GroupFilter {
  private GroupFilter() {}

  /** Returns the services the group rule keeps, in their original order. */
  static List<ServiceEntry> apply(List<ServiceEntry> services) {
    if (services.isEmpty()) {
      return services;
    }
    String group = services.get(0).record().group();
    int depth = services.get(0).depth();
    // The scan stops at the first shallower service without a group; the services after it were
    // never measured, so SkyDNS treats them as depth 0 and they cannot cause a disagreement.
    int measured = services.size();
    for (int i = 0; i < services.size(); i++) {
      ServiceEntry service = services.get(i);
      if (service.depth() < depth) {
        if (service.record().group().isEmpty()) {
          measured = i + 1;
          break;
        }
        depth = service.depth();
        group = service.record().group();
      }
    }
    if (group.isEmpty()) {
      return services;
    }
    List<ServiceEntry> kept = new ArrayList<>(services.size());
    for (int i = 0; i < services.size(); i++) {
      ServiceEntry service = services.get(i);
      String own = service.record().group();
      if (own.isEmpty() || own.equals(group)) {
        kept.add(service);
      } else if (i < measured && service.depth() == depth) {
        return services;
      }
    }
    return kept;
  }
}
