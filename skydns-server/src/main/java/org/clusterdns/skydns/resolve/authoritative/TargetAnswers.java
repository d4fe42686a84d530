package org.clusterdns.skydns.resolve.authoritative;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.clusterdns.skydns.backend.Lookup;
import org.clusterdns.skydns.backend.ServiceEntry;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * SRV and MX answers (spec 8.4, 8.5, 9.2-9.4): records that point at a target name, with the
 * target's addresses in the additional section.
 *
 * <p>A service with a name host points at that name, TargetStrip applied; an in-domain target's
 * addresses (both families, CNAMEs followed) go to the additional section once per target; an
 * external target adds nothing there. A service with an IP host points at a name made from its
 * key, TargetStrip applied, and the address goes to the additional section under that same name
 * (for MX too: the original used the unstripped name there, spec 19.8). A service with an empty
 * host is skipped. SRV weights are computed after identical records collapse, so duplicates do not
 * dilute them (spec 19.23 not reproduced). MX ignores groups, as the original does: a mail
 * exchanger list is not a service set.
 */
final class TargetAnswers {
  private final ServiceTree tree;
  private final RecordMaker records;
  private final AddressResolver addresses;

  TargetAnswers(ServiceTree tree, RecordMaker records, AddressResolver addresses) {
    this.tree = tree;
    this.records = records;
    this.addresses = addresses;
  }

  /** One SRV record before its weight is known; equal instances are the same record. */
  private record Srv(int priority, int weight, int port, Name target) {}

  /** Answers an SRV question for {@code name}. */
  Answer srv(Name owner, String name, long nowMillis) {
    Lookup lookup = tree.find(name);
    if (!lookup.nameExists()) {
      return Answer.NXDOMAIN;
    }
    Targets targets = new Targets(nowMillis);
    Map<Srv, Long> srvs = new LinkedHashMap<>();
    for (ServiceEntry service : GroupFilter.apply(lookup.entries())) {
      Optional<Name> target = targets.of(service);
      if (target.isPresent()) {
        Srv srv = new Srv(records.priority(service),
            SrvWeights.effective(service.record().weight()), service.record().port() & 0xFFFF,
            target.get());
        srvs.merge(srv, records.ttl(service, nowMillis), Math::min);
      }
    }
    List<Srv> unique = new ArrayList<>(srvs.keySet());
    int[] weights = SrvWeights.compute(
        unique.stream().map(Srv::priority).toList(), unique.stream().map(Srv::weight).toList());
    List<Record> answer = new ArrayList<>(unique.size());
    for (int i = 0; i < unique.size(); i++) {
      Srv srv = unique.get(i);
      answer.add(records.srv(owner, srv.priority(), weights[i], srv.port(), srv.target(), srvs.get(srv)));
    }
    return Answer.of(answer, targets.additional);
  }

  /** Answers an MX question for {@code name}: one MX per service marked {@code mail}. */
  Answer mx(Name owner, String name, long nowMillis) {
    Lookup lookup = tree.find(name);
    if (!lookup.nameExists()) {
      return Answer.NXDOMAIN;
    }
    Targets targets = new Targets(nowMillis);
    List<Record> answer = new ArrayList<>();
    for (ServiceEntry service : lookup.entries()) {
      if (!service.record().mail()) {
        continue;
      }
      Optional<Name> exchange = targets.of(service);
      if (exchange.isPresent()) {
        answer.add(records.mx(owner, records.priority(service), exchange.get(),
            records.ttl(service, nowMillis)));
      }
    }
    return Answer.of(answer, targets.additional);
  }

  /** The targets of one answer and the additional records they bring. */
  private final class Targets {
    private final long nowMillis;
    private final List<Record> additional = new ArrayList<>();
    private final Set<Name> resolved = new HashSet<>();
    private final AddressResolver.Walk walk;

    Targets(long nowMillis) {
      this.nowMillis = nowMillis;
      this.walk = addresses.additional(nowMillis);
    }

    /** Returns the target of {@code service}, recording its additional data; empty if it has none. */
    Optional<Name> of(ServiceEntry service) {
      int strip = service.record().targetStrip();
      Optional<InetAddress> address = service.record().address();
      if (address.isPresent()) {
        Optional<Name> target = Names.ofKey(service.key()).map(name -> Names.targetStrip(name, strip));
        target.ifPresent(name ->
            additional.add(records.address(name, address.get(), records.ttl(service, nowMillis))));
        return target;
      }
      Optional<Name> target = Names.parse(service.record().host()).map(name -> Names.targetStrip(name, strip));
      target.ifPresent(name -> {
        if (tree.isInside(Names.lookupForm(name)) && resolved.add(name)) {
          additional.addAll(walk.addressesOf(name));
        }
      });
      return target;
    }
  }
}
