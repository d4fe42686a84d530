package org.clusterdns.records;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceRecordTest {

  private static ServiceRecord parse(String json) throws MalformedRecordException {
    return ServiceRecord.fromJson(json.getBytes(UTF_8));
  }

  @Test
  void readsEveryMember() throws Exception {
    ServiceRecord record = parse("{\"host\":\"10.0.0.1\",\"port\":8080,\"priority\":20,\"weight\":5,"
        + "\"text\":\"hi\",\"mail\":true,\"ttl\":30,\"targetstrip\":1,\"group\":\"g\"}");
    assertThat(record).isEqualTo(new ServiceRecord("10.0.0.1", 8080, 20, 5, "hi", true, 30, 1, "g"));
  }

  @Test
  void emptyObjectIsAServiceWithEmptyHost() throws Exception {
    assertThat(parse("{}")).isEqualTo(new ServiceRecord("", 0, 0, 0, "", false, 0, 0, ""));
  }

  @Test
  void memberNamesMatchCaseInsensitivelyAsInGo() throws Exception {
    ServiceRecord record = parse("{\"Host\":\"a.example.\",\"PORT\":53,\"TargetStrip\":2}");
    assertThat(record.host()).isEqualTo("a.example.");
    assertThat(record.port()).isEqualTo(53);
    assertThat(record.targetStrip()).isEqualTo(2);
  }

  @Test
  void unknownMembersAreIgnored() throws Exception {
    assertThat(parse("{\"host\":\"x\",\"future\":{\"a\":[1,2]}}").host()).isEqualTo("x");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "[]", "null", "\"x\"", "{\"port\":\"80\"}", "{\"host\":1}",
      "{\"ttl\":-1}", "{\"ttl\":4294967296}", "{\"mail\":\"yes\"}", "{} {}"})
  void malformedValuesAreRejected(String json) {
    assertThatThrownBy(() -> parse(json)).isInstanceOf(MalformedRecordException.class);
  }

  @Test
  void serialisesMinimallyAndStably() throws Exception {
    assertThat(ServiceRecord.ofHost("10.0.0.1").toJson()).isEqualTo("{\"host\":\"10.0.0.1\"}");
    ServiceRecord full = new ServiceRecord("h.", 1, 2, 3, "t", true, 4, 5, "g");
    assertThat(full.toJson()).isEqualTo(
        "{\"host\":\"h.\",\"port\":1,\"priority\":2,\"weight\":3,\"text\":\"t\",\"mail\":true,"
            + "\"ttl\":4,\"targetstrip\":5,\"group\":\"g\"}");
    assertThat(parse(full.toJson())).isEqualTo(full);
  }

  @Test
  void addressesAreRecognisedWithoutResolving() {
    assertThat(ServiceRecord.ofHost("10.0.1.125").address()).get().isInstanceOf(Inet4Address.class);
    assertThat(ServiceRecord.ofHost("2003::8:1").address()).get().isInstanceOf(Inet6Address.class);
    assertThat(ServiceRecord.ofHost("::ffff:10.0.0.1").address()).get().isInstanceOf(Inet4Address.class);
    assertThat(ServiceRecord.ofHost("service1.example.com").address()).isEmpty();
    assertThat(ServiceRecord.ofHost("localhost").address()).isEmpty();
    assertThat(ServiceRecord.ofHost("").address()).isEmpty();
    assertThat(ServiceRecord.ofHost("1.2.3").address()).isEmpty();
    assertThat(ServiceRecord.ofHost("1.2.3.256").address()).isEmpty();
    assertThat(ServiceRecord.ofHost("01.2.3.4").address()).isEmpty();
    assertThat(ServiceRecord.ofHost("dead:beef::zz").address()).isEmpty();
    assertThat(ServiceRecord.ofHost("[::1]").address()).isEmpty();
  }

  @Test
  void hostAsNameIsAbsolute() {
    assertThat(ServiceRecord.ofHost("a.example.com").hostAsName()).isEqualTo("a.example.com.");
    assertThat(ServiceRecord.ofHost("a.example.com.").hostAsName()).isEqualTo("a.example.com.");
  }
}
