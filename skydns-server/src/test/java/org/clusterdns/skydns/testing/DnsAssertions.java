package org.clusterdns.skydns.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TTL;
import org.xbill.DNS.Type;

/**
 * Checks a reply against a {@link DnsCase}: the Java form of CoreDNS's {@code SortAndCheck}.
 *
 * <p>Header (QR, rcode, AA), the question (name in its exact case, type, class) and the three
 * sections are compared. Sections are sorted first, so record order never matters. Owner names
 * are compared case-sensitively (answers must keep the query's case); rdata as dnsjava prints it.
 * TTLs are compared unless the expected line leaves the TTL out, which parses as {@link #ANY_TTL}.
 */
public final class DnsAssertions {
  /** The TTL of an expected record written without one: matches any TTL. */
  public static final long ANY_TTL = TTL.MAX_VALUE;

  private DnsAssertions() {}

  /** Asserts that {@code reply} is what {@code expected} describes. */
  public static void assertMatches(Message reply, DnsCase expected) {
    assertThat(reply).as("reply to '%s'", expected.name()).isNotNull();
    String context = expected.name() + "\n" + reply;
    assertThat(reply.getHeader().getFlag(Flags.QR)).as("QR: %s", context).isTrue();
    assertThat(Rcode.string(reply.getRcode())).as("rcode: %s", context)
        .isEqualTo(Rcode.string(expected.rcode()));
    assertThat(reply.getHeader().getFlag(Flags.AA)).as("AA: %s", context).isEqualTo(expected.aa());
    Record question = reply.getQuestion();
    assertThat(question).as("question: %s", context).isNotNull();
    assertThat(question.getName().toString()).as("question name: %s", context).isEqualTo(expected.qname());
    assertThat(Type.string(question.getType())).as("question type: %s", context)
        .isEqualTo(Type.string(expected.qtype()));
    assertThat(DClass.string(question.getDClass())).as("question class: %s", context)
        .isEqualTo(DClass.string(expected.qclass()));
    assertSection(reply, Section.ANSWER, expected.answer(), context);
    assertSection(reply, Section.AUTHORITY, expected.authority(), context);
    assertSection(reply, Section.ADDITIONAL, expected.additional(), context);
  }

  /**
   * Parses zone-file lines, each holding one record with an absolute owner name. A line without a
   * TTL gets {@link #ANY_TTL}.
   *
   * @throws IllegalArgumentException when a line is not a record
   */
  public static List<Record> parse(List<String> lines) {
    List<Record> records = new ArrayList<>(lines.size());
    for (String line : lines) {
      // One Master per line: otherwise a line without a TTL would inherit the previous line's.
      try (Master master = new Master(
          new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), Name.root, ANY_TTL)) {
        Record record = master.nextRecord();
        if (record == null || master.nextRecord() != null) {
          throw new IllegalArgumentException("expected exactly one record in: " + line);
        }
        records.add(record);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("not a zone-file record: " + line, e);
      }
    }
    return records;
  }

  /** Asserts that section {@code section} of {@code reply} holds exactly the records of {@code lines}. */
  public static void assertSection(Message reply, int section, List<String> lines) {
    assertSection(reply, section, lines, reply.toString());
  }

  private static void assertSection(Message reply, int section, List<String> lines, String context) {
    List<Record> expected = sorted(parse(lines));
    List<Record> actual = sorted(reply.getSection(section));
    String name = Section.longString(section);
    assertThat(actual.stream().map(DnsAssertions::withoutTtl).toList())
        .as("%s section: %s", name, context)
        .containsExactlyElementsOf(expected.stream().map(DnsAssertions::withoutTtl).toList());
    for (int i = 0; i < expected.size(); i++) {
      if (expected.get(i).getTTL() != ANY_TTL) {
        assertThat(actual.get(i).getTTL()).as("TTL of %s in %s section: %s", withoutTtl(expected.get(i)),
            name, context).isEqualTo(expected.get(i).getTTL());
      }
    }
  }

  private static List<Record> sorted(List<Record> records) {
    List<Record> copy = new ArrayList<>(records);
    copy.sort(Comparator.comparing(DnsAssertions::withoutTtl));
    return copy;
  }

  /** Returns the record as one line without its TTL, owner in its own case. */
  private static String withoutTtl(Record record) {
    return record.getName() + " " + DClass.string(record.getDClass()) + " "
        + Type.string(record.getType()) + " " + record.rdataToString();
  }
}
