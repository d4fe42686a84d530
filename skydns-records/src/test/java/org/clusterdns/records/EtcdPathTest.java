package org.clusterdns.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class EtcdPathTest {
  private final EtcdPath skydns = new EtcdPath("skydns");

  @Test
  void nameToKeyReversesAndLowerCases() {
    assertThat(skydns.key("service.staging.skydns.local.")).isEqualTo("/skydns/local/skydns/staging/service");
    assertThat(skydns.key("Service.STAGING.skydns.local")).isEqualTo("/skydns/local/skydns/staging/service");
    assertThat(new EtcdPath("mydns").key("service.staging.skydns.local."))
        .isEqualTo("/mydns/local/skydns/staging/service");
    assertThat(skydns.key(".")).isEqualTo("/skydns");
  }

  @Test
  void prefixIsOneSegment() {
    assertThat(new EtcdPath("/skydns/").root()).isEqualTo("/skydns");
    assertThatThrownBy(() -> new EtcdPath("a/b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EtcdPath("/")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyToName() {
    assertThat(skydns.name("/skydns/test/skydns/bar/x")).isEqualTo("x.bar.skydns.test.");
    assertThat(skydns.name("/skydns")).isEqualTo(".");
    assertThatThrownBy(() -> skydns.name("/other/x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> skydns.name("/skydnsx/a")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void escapedDotsStayInTheirLabel() {
    assertThat(EtcdPath.labels("a\\.b.c.")).containsExactly("a\\.b", "c");
  }

  @Test
  void wildcardFormCutsBeforeTheFirstWildcard() {
    EtcdPath.Query middle = skydns.query("production.*.skydns.test.");
    assertThat(middle.path()).isEqualTo("/skydns/test/skydns");
    assertThat(middle.wildcard()).isTrue();
    assertThat(skydns.query("*.region1.skydns.test.").path()).isEqualTo("/skydns/test/skydns/region1");
    assertThat(skydns.query("a.any.b.skydns.test.").path()).isEqualTo("/skydns/test/skydns/b");
    EtcdPath.Query plain = skydns.query("a.b.skydns.test.");
    assertThat(plain.wildcard()).isFalse();
    assertThat(plain.path()).isEqualTo("/skydns/test/skydns/b/a");
  }

  @Test
  void wildcardMatchingComparesSegmentsAndAcceptsDeeperKeys() {
    EtcdPath.Query query = skydns.query("*.*.region1.skydns.test.");
    assertThat(query.matches("/skydns/test/skydns/region1/development/server1/100")).isTrue();
    assertThat(query.matches("/skydns/test/skydns/region1/development")).isFalse();
    assertThat(query.matches("/skydns/test/skydns/region2/development/server1")).isFalse();
    EtcdPath.Query middle = skydns.query("production.*.skydns.test.");
    assertThat(middle.matches("/skydns/test/skydns/east/production")).isTrue();
    assertThat(middle.matches("/skydns/test/skydns/east/production/rails/1")).isTrue();
    assertThat(middle.matches("/skydns/test/skydns/east/staging")).isFalse();
    assertThat(middle.matches("/skydns/test/skydns/east/productionx")).isFalse();
  }

  @Test
  void plainQueriesMatchTheSubtreeOnlyNotSiblingsWithTheSamePrefix() {
    EtcdPath.Query query = skydns.query("a.skydns.test.");
    assertThat(query.matches("/skydns/test/skydns/a")).isTrue();
    assertThat(query.matches("/skydns/test/skydns/a/b")).isTrue();
    assertThat(query.matches("/skydns/test/skydns/ab")).isFalse();
  }

  @Test
  void reverseKeysSpellTheAddressInNormalOrder() throws Exception {
    assertThat(skydns.reverseKey(InetAddress.getByName("10.0.0.1"))).isEqualTo("/skydns/arpa/in-addr/10/0/0/1");
    assertThat(EtcdPath.reverseName(InetAddress.getByName("10.0.0.1"))).isEqualTo("1.0.0.10.in-addr.arpa.");
    assertThat(skydns.reverseKey(InetAddress.getByName("2001:db8::1")))
        .isEqualTo("/skydns/arpa/ip6/2/0/0/1/0/d/b/8" + "/0".repeat(23) + "/1");
  }
}
