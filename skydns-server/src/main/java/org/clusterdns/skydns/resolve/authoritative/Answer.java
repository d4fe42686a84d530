package org.clusterdns.skydns.resolve.authoritative;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * What the authoritative lookup found for one question, before it becomes a message.
 *
 * @param nameExists whether the name is in the tree; false makes an empty answer NXDOMAIN
 * @param answer the answer records, owners in the query's case
 * @param additional records that help the client use the answer (glue, target addresses)
 */
record Answer(boolean nameExists, List<Record> answer, List<Record> additional) {
  /** The name is not in the tree. */
  static final Answer NXDOMAIN = new Answer(false, List.of(), List.of());
  /** The name exists but holds nothing of the asked type. */
  static final Answer NODATA = new Answer(true, List.of(), List.of());

  Answer {
    answer = List.copyOf(answer);
    additional = List.copyOf(additional);
  }

  /** Returns NODATA or NXDOMAIN, whichever the existence of the name calls for. */
  static Answer empty(boolean nameExists) {
    return nameExists ? NODATA : NXDOMAIN;
  }

  /** Returns an answer for a name that exists. */
  static Answer of(List<Record> answer, List<Record> additional) {
    return new Answer(true, answer, additional);
  }
}
