package org.clusterdns.skydns.resolve.authoritative;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clusterdns.skydns.backend.ServiceEntry;
import org.clusterdns.skydns.config.AnswerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The apex records: SOA (spec 8.11) and NS from the leaves under {@code ns.dns.<domain>} with their
 * addresses as glue (spec 8.6).
 *
 * <p>Unlike the original, the apex always exists: without name-server entries an NS question is
 * NODATA, not NXDOMAIN (spec 19.10), and an entry whose host is not an IP is skipped on its own
 * instead of emptying the whole NS answer.
 */
final class ApexAnswers {
  private static final Logger log = LoggerFactory.getLogger(ApexAnswers.class);

  private final ServiceTree tree;
  private final RecordMaker records;
  private final AnswerConfig config;

  ApexAnswers(ServiceTree tree, RecordMaker records, AnswerConfig config) {
    this.tree = tree;
    this.records = records;
    this.config = config;
  }

  /** Answers the SOA question at the apex. */
  Answer soa(long nowMillis) {
    return Answer.of(List.of(records.soa(config.defaultTtl(), nowMillis)), List.of());
  }

  /** Answers the NS question at the apex, owners in the case of {@code owner}. */
  Answer ns(Name owner, long nowMillis) {
    List<Record> answer = new ArrayList<>();
    List<Record> glue = new ArrayList<>();
    for (ServiceEntry server : GroupFilter.apply(tree.find(config.nsName()).entries())) {
      Optional<InetAddress> address = server.record().address();
      Optional<Name> target = Names.ofKey(server.key());
      if (address.isEmpty() || target.isEmpty()) {
        log.debug("name-server entry {} has no IP host, left out of the NS answer", server.key());
        continue;
      }
      long ttl = records.ttl(server, nowMillis);
      answer.add(records.ns(owner, target.get(), ttl));
      glue.add(records.address(target.get(), address.get(), ttl));
    }
    return Answer.of(answer, glue);
  }
}
