package org.clusterdns.skydns.resolve.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** The small algorithms on their own: SRV weights, TargetStrip, key-derived names, TXT cutting. */
class SmallRulesTest {

  @Test
  void srvWeightsOfTheSpecExamples() {
    assertThat(SrvWeights.compute(List.of(10, 10, 10), List.of(100, 100, 100))).containsExactly(33, 33, 33);
    assertThat(SrvWeights.compute(List.of(10, 10, 10), List.of(120, 100, 130))).containsExactly(34, 28, 37);
    assertThat(SrvWeights.compute(List.of(10, 10, 10), List.of(130, 80, 150))).containsExactly(36, 22, 41);
    assertThat(SrvWeights.compute(List.of(5, 5, 10, 10), List.of(10, 100, 1, 100))).containsExactly(9, 90, 0, 99);
  }

  @Test
  void srvWeightUnsetCountsAsHundred() {
    assertThat(SrvWeights.effective(0)).isEqualTo(100);
    assertThat(SrvWeights.effective(7)).isEqualTo(7);
  }

  @Test
  void srvWeightsSurviveHostileValues() {
    assertThat(SrvWeights.compute(List.of(1, 1), List.of(-5, 5))).hasSize(2);
    assertThat(SrvWeights.compute(List.of(1), List.of(Integer.MAX_VALUE))).containsExactly(100);
  }

  @Test
  void targetStripRemovesLeftLabelsUnlessThatWouldRemoveAll() throws TextParseException {
    Name name = Name.fromString("4.rails.staging.east.skydns.local.");
    assertThat(Names.targetStrip(name, 0)).isEqualTo(name);
    assertThat(Names.targetStrip(name, -1)).isEqualTo(name);
    assertThat(Names.targetStrip(name, 2).toString()).isEqualTo("staging.east.skydns.local.");
    assertThat(Names.targetStrip(name, 5).toString()).isEqualTo("local.");
    assertThat(Names.targetStrip(name, 6)).isEqualTo(name);
    assertThat(Names.targetStrip(name, 60)).isEqualTo(name);
  }

  @Test
  void keyDerivedNameDropsThePrefix() {
    assertThat(Names.ofKey("/skydns/test/skydns/bar/x")).map(Name::toString).contains("x.bar.skydns.test.");
    assertThat(Names.ofKey("/mydns/test/skydns/bar/x")).map(Name::toString).contains("x.bar.skydns.test.");
    assertThat(Names.ofKey("/skydns")).isEmpty();
  }

  @Test
  void parseRejectsInvalidNamesInsteadOfThrowing() {
    assertThat(Names.parse("")).isEmpty();
    assertThat(Names.parse("a..b")).isEmpty();
    assertThat(Names.parse("x".repeat(64) + ".com")).isEmpty();
    assertThat(Names.parse("www.example.org")).map(Name::toString).contains("www.example.org.");
  }

  @Test
  void txtIsCutInto255BytePiecesWithoutATrailingEmptyOne() {
    assertThat(pieces(RecordMaker.txtRdata("abc"))).containsExactly(3);
    assertThat(pieces(RecordMaker.txtRdata("a".repeat(255)))).containsExactly(255);
    assertThat(pieces(RecordMaker.txtRdata("a".repeat(300)))).containsExactly(255, 45);
    assertThat(pieces(RecordMaker.txtRdata("a".repeat(510)))).containsExactly(255, 255);
  }

  @Test
  void txtCountsBytesNotCharacters() {
    String text = "é".repeat(200); // 400 bytes in UTF-8
    byte[] rdata = RecordMaker.txtRdata(text);
    assertThat(pieces(rdata)).containsExactly(255, 145);
    assertThat(rdata.length).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length + 2);
  }

  private static List<Integer> pieces(byte[] rdata) {
    List<Integer> lengths = new ArrayList<>();
    for (int at = 0; at < rdata.length; at += (rdata[at] & 0xFF) + 1) {
      lengths.add(rdata[at] & 0xFF);
    }
    return lengths;
  }
}
