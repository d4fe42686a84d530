package org.clusterdns.skydns.resolve.authoritative;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clusterdns.skydns.backend.Lookup;
import org.clusterdns.skydns.backend.ServiceEntry;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** TXT (spec 8.2) and CNAME (spec 8.3) answers: the stored value as it is, nothing synthesised. */
final class SimpleAnswers {
  private final ServiceTree tree;
  private final RecordMaker records;

  SimpleAnswers(ServiceTree tree, RecordMaker records) {
    this.tree = tree;
    this.records = records;
  }

  /** Answers a TXT question: one TXT per service with text, at and below {@code name}. */
  Answer txt(Name owner, String name, long nowMillis) {
    Lookup lookup = tree.find(name);
    if (!lookup.nameExists()) {
      return Answer.NXDOMAIN;
    }
    List<Record> answer = new ArrayList<>();
    for (ServiceEntry service : GroupFilter.apply(lookup.entries())) {
      if (!service.record().text().isEmpty()) {
        records.txt(owner, service.record().text(), records.ttl(service, nowMillis)).ifPresent(answer::add);
      }
    }
    return Answer.of(answer, List.of());
  }

  /**
   * Answers a CNAME question from the service stored exactly at {@code name}: its host when that is
   * a name, not followed (a directory, an IP host or an empty host give NODATA).
   */
  Answer cname(Name owner, String name, long nowMillis) {
    Lookup lookup = tree.findExact(name);
    if (!lookup.nameExists()) {
      return Answer.NXDOMAIN;
    }
    List<ServiceEntry> services = GroupFilter.apply(lookup.entries());
    if (services.isEmpty()) {
      return Answer.NODATA;
    }
    ServiceEntry first = services.get(0);
    Optional<Name> target = first.record().address().isPresent()
        ? Optional.empty()
        : Names.parse(first.record().host());
    return target
        .map(host -> Answer.of(List.of(records.cname(owner, host, records.ttl(first, nowMillis))), List.of()))
        .orElse(Answer.NODATA);
  }
}
