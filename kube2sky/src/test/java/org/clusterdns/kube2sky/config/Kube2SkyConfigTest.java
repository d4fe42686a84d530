package org.clusterdns.kube2sky.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.clusterdns.etcd.EtcdConfig;
import org.junit.jupiter.api.Test;

class Kube2SkyConfigTest {
  private static final EtcdConfig ETCD = EtcdConfig.plain(List.of(URI.create("http://127.0.0.1:2379")), "skydns");
  private static final InetSocketAddress HEALTHZ = new InetSocketAddress("127.0.0.1", 0);

  @Test
  void aRelativeDomainIsRefused() {
    assertThatThrownBy(() -> new Kube2SkyConfig("cluster.local", ETCD, Optional.empty(), Optional.empty(), HEALTHZ,
        Duration.ofMinutes(5), false, 128))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute");
  }

  @Test
  void aResyncPeriodThatIsNotPositiveIsRefused() {
    assertThatThrownBy(() -> new Kube2SkyConfig("cluster.local.", ETCD, Optional.empty(), Optional.empty(), HEALTHZ,
        Duration.ZERO, false, 128))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }
}
