package org.clusterdns.skydns.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.clusterdns.records.MalformedRecordException;
import org.clusterdns.records.ServiceRecord;
import org.junit.jupiter.api.Test;

class ServiceEntryTest {
  private static final String KEY = "/skydns/local/skydns/web";
  private static final long NOW = 1_000_000;

  private static ServiceEntry entry(String json, long leaseExpiresAtMillis) throws MalformedRecordException {
    return new ServiceEntry(KEY, ServiceRecord.fromJson(json.getBytes(StandardCharsets.UTF_8)), leaseExpiresAtMillis);
  }

  @Test
  void withoutALeaseTheRecordTtlWinsOverTheDefault() throws Exception {
    assertThat(entry("{\"host\":\"10.0.0.1\"}", ServiceEntry.NO_LEASE).effectiveTtl(3600, NOW)).isEqualTo(3600);
    assertThat(entry("{\"host\":\"10.0.0.1\",\"ttl\":60}", ServiceEntry.NO_LEASE).effectiveTtl(3600, NOW))
        .isEqualTo(60);
  }

  @Test
  void aKnownLeaseCapsTheTtlByItsRemainingSecondsRoundedUp() throws Exception {
    assertThat(entry("{\"host\":\"10.0.0.1\"}", NOW + 4_500).effectiveTtl(3600, NOW)).isEqualTo(5);
    assertThat(entry("{\"host\":\"10.0.0.1\",\"ttl\":3}", NOW + 4_500).effectiveTtl(3600, NOW)).isEqualTo(3);
    assertThat(entry("{\"host\":\"10.0.0.1\"}", NOW - 1).effectiveTtl(3600, NOW)).isZero();
  }

  @Test
  void aLeaseNotLookedUpYetIsNotAnsweredWithTheDefaultTtl() throws Exception {
    assertThat(ServiceEntry.UNKNOWN_LEASE).isNotEqualTo(ServiceEntry.NO_LEASE);
    assertThat(entry("{\"host\":\"10.0.0.1\"}", ServiceEntry.UNKNOWN_LEASE).effectiveTtl(3600, NOW))
        .isEqualTo(ServiceEntry.UNKNOWN_LEASE_MAX_TTL);
    assertThat(entry("{\"host\":\"10.0.0.1\",\"ttl\":300}", ServiceEntry.UNKNOWN_LEASE).effectiveTtl(3600, NOW))
        .isEqualTo(ServiceEntry.UNKNOWN_LEASE_MAX_TTL);
    // Shorter TTLs stay as they are.
    assertThat(entry("{\"host\":\"10.0.0.1\",\"ttl\":10}", ServiceEntry.UNKNOWN_LEASE).effectiveTtl(3600, NOW))
        .isEqualTo(10);
    assertThat(entry("{\"host\":\"10.0.0.1\"}", ServiceEntry.UNKNOWN_LEASE).effectiveTtl(5, NOW)).isEqualTo(5);
  }
}
