package org.clusterdns.skydns.resolve.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.clusterdns.records.ServiceRecord;
import org.clusterdns.skydns.backend.ServiceEntry;
import org.junit.jupiter.api.Test;

/** The group rule of spec 9.1, including its order-dependent corners. */
class GroupFilterTest {

  private static ServiceEntry service(String key, String group) {
    return ServiceEntry.of(key, new ServiceRecord("10.0.0.1", 0, 0, 0, "", false, 0, 0, group));
  }

  private static List<String> keys(List<ServiceEntry> services) {
    return services.stream().map(ServiceEntry::key).toList();
  }

  @Test
  void emptyListStaysEmpty() {
    assertThat(GroupFilter.apply(List.of())).isEmpty();
  }

  @Test
  void noGroupsKeepsEverything() {
    List<ServiceEntry> services = List.of(service("/s/a", ""), service("/s/b/c", ""));
    assertThat(GroupFilter.apply(services)).isEqualTo(services);
  }

  @Test
  void shallowestGroupSelectsAndUngroupedAreKept() {
    List<ServiceEntry> services = List.of(
        service("/s/d/a", "g1"), service("/s/d/sub/c", "g2"), service("/s/d/sub/e", ""));
    assertThat(keys(GroupFilter.apply(services))).containsExactly("/s/d/a", "/s/d/sub/e");
  }

  @Test
  void shallowerGroupFoundLaterStillSelects() {
    List<ServiceEntry> services = List.of(service("/s/d/sub/c", "g2"), service("/s/d/a", "g1"));
    assertThat(keys(GroupFilter.apply(services))).containsExactly("/s/d/a");
  }

  @Test
  void disagreementAtTheChosenDepthReturnsEverything() {
    List<ServiceEntry> services = List.of(service("/s/a", "g1"), service("/s/b", "g2"), service("/s/c/d", "g3"));
    assertThat(GroupFilter.apply(services)).isEqualTo(services);
  }

  @Test
  void otherGroupsDeeperAreDropped() {
    List<ServiceEntry> services = List.of(service("/s/a", "g1"), service("/s/c/d", "g3"));
    assertThat(keys(GroupFilter.apply(services))).containsExactly("/s/a");
  }

  @Test
  void shallowerUngroupedEntryStopsTheScan() {
    // The scan stops at the shallower ungrouped /s/u, so /s/x/y, though at the chosen depth with
    // another group, was never measured: it is dropped instead of cancelling the filter.
    List<ServiceEntry> services = List.of(
        service("/s/a/b", "g1"), service("/s/u", ""), service("/s/x/y", "g2"));
    assertThat(keys(GroupFilter.apply(services))).containsExactly("/s/a/b", "/s/u");
  }

  @Test
  void firstEntryWithoutGroupAndNoShallowerGroupKeepsEverything() {
    List<ServiceEntry> services = List.of(service("/s/a", ""), service("/s/b/c", "g1"));
    assertThat(GroupFilter.apply(services)).isEqualTo(services);
  }
}
