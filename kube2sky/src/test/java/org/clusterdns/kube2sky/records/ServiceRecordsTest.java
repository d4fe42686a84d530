package org.clusterdns.kube2sky.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.clusterdns.records.EtcdPath;
import org.clusterdns.records.IpLiterals;
import org.clusterdns.records.ServiceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceRecordsTest {
  private static final EtcdPath PATH = new EtcdPath("skydns");
  private static final ServiceRecords RECORDS = new ServiceRecords(RecordsConfig.defaults());
  private static final ServiceRecords LEGACY =
      new ServiceRecords(new RecordsConfig("cluster.local", PATH, 30, true));

  // ---------------------------------------------------------------------------------------------
  // The table: each case is a Service (and its slices) and exactly the leaves and PTR claims it
  // must produce, without any problem reported.

  /** One row: what goes in, and every leaf (key -> JSON) and PTR claim (key -> host) expected. */
  record Case(String name, Service service, List<EndpointSlice> slices,
      Map<String, String> leaves, Map<String, String> ptrs) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    String kubernetes = dir("default", "kubernetes");
    String headless = dir("default", "headless");
    String web = dir("default", "web");
    String foo = dir("default", "foo");
    String headlessName = "headless.default.svc.cluster.local.";
    return Stream.of(
        new Case("row 2 and 5: ClusterIP IPv4, its A leaf and its PTR",
            clusterIp("default", "kubernetes", List.of("10.3.0.1")), List.of(),
            map(kubernetes + "/" + h(a("10.3.0.1")), a("10.3.0.1")),
            map("/skydns/arpa/in-addr/10/3/0/1", "kubernetes.default.svc.cluster.local.")),
        new Case("row 3 and 6: ClusterIP IPv6, its AAAA leaf and its PTR",
            clusterIp("default", "kubernetes", List.of("2001:db8::1")), List.of(),
            map(kubernetes + "/" + h(a("2001:db8::1")), a("2001:db8::1")),
            map(ip6Key("20010db8000000000000000000000001"), "kubernetes.default.svc.cluster.local.")),
        new Case("row 4: ClusterIP named ports get SRV (TCP default, UDP, SCTP), the unnamed one none",
            clusterIp("default", "kubernetes", List.of("10.3.0.1"),
                port("https", "TCP", 443), port("dns", "UDP", 53), port("sig", "SCTP", 9000),
                port("web", null, 80), port(null, "TCP", 8080)),
            List.of(),
            map(kubernetes + "/" + h(a("10.3.0.1")), a("10.3.0.1"),
                kubernetes + "/_tcp/_https/" + h(srv("kubernetes.default.svc.cluster.local.", 443)),
                srv("kubernetes.default.svc.cluster.local.", 443),
                kubernetes + "/_udp/_dns/" + h(srv("kubernetes.default.svc.cluster.local.", 53)),
                srv("kubernetes.default.svc.cluster.local.", 53),
                kubernetes + "/_sctp/_sig/" + h(srv("kubernetes.default.svc.cluster.local.", 9000)),
                srv("kubernetes.default.svc.cluster.local.", 9000),
                kubernetes + "/_tcp/_web/" + h(srv("kubernetes.default.svc.cluster.local.", 80)),
                srv("kubernetes.default.svc.cluster.local.", 80)),
            map("/skydns/arpa/in-addr/10/3/0/1", "kubernetes.default.svc.cluster.local.")),
        new Case("dual-stack ClusterIP: A and AAAA, one SRV per port, two PTRs",
            clusterIp("default", "web", List.of("10.0.0.7", "fd00::7"), port("http", "TCP", 80)),
            List.of(),
            map(web + "/" + h(a("10.0.0.7")), a("10.0.0.7"),
                web + "/" + h(a("fd00::7")), a("fd00::7"),
                web + "/_tcp/_http/" + h(srv("web.default.svc.cluster.local.", 80)),
                srv("web.default.svc.cluster.local.", 80)),
            map("/skydns/arpa/in-addr/10/0/0/7", "web.default.svc.cluster.local.",
                ip6Key("fd000000000000000000000000000007"), "web.default.svc.cluster.local.")),
        new Case("ClusterIP without spec.clusterIPs falls back to spec.clusterIP",
            new ServiceBuilder().withNewMetadata().withNamespace("default").withName("web").endMetadata()
                .withNewSpec().withClusterIP("10.0.0.7").endSpec().build(),
            List.of(),
            map(web + "/" + h(a("10.0.0.7")), a("10.0.0.7")),
            map("/skydns/arpa/in-addr/10/0/0/7", "web.default.svc.cluster.local.")),
        new Case("NodePort is published like ClusterIP",
            withType(clusterIp("default", "web", List.of("10.0.0.7"), port("http", "TCP", 80)), "NodePort"),
            List.of(),
            map(web + "/" + h(a("10.0.0.7")), a("10.0.0.7"),
                web + "/_tcp/_http/" + h(srv("web.default.svc.cluster.local.", 80)),
                srv("web.default.svc.cluster.local.", 80)),
            map("/skydns/arpa/in-addr/10/0/0/7", "web.default.svc.cluster.local.")),
        new Case("ClusterIP with no ports at all: only the address",
            clusterIp("default", "web", List.of("10.0.0.7")), List.of(),
            map(web + "/" + h(a("10.0.0.7")), a("10.0.0.7")),
            map("/skydns/arpa/in-addr/10/0/0/7", "web.default.svc.cluster.local.")),
        new Case("row 7, 8, 9 and 10: headless with and without hostnames",
            headless("default", "headless", false),
            List.of(slice("headless-abc", "IPv4", List.of(endpointPort("http", "TCP", 80)),
                endpoint("my-pet", true, "10.3.0.100"),
                endpoint(null, true, "10.3.0.101"),
                endpoint(null, null, "10.3.0.102"))),
            map(headless + "/my-pet", a("10.3.0.100"),
                headless + "/" + h(a("10.3.0.101")), a("10.3.0.101"),
                headless + "/" + h(a("10.3.0.102")), a("10.3.0.102"),
                headless + "/_tcp/_http/my-pet", srv("my-pet." + headlessName, 80),
                headless + "/_tcp/_http/" + h(a("10.3.0.101")),
                srv(h(a("10.3.0.101")) + "." + headlessName, 80),
                headless + "/_tcp/_http/" + h(a("10.3.0.102")),
                srv(h(a("10.3.0.102")) + "." + headlessName, 80)),
            map("/skydns/arpa/in-addr/10/3/0/100", "my-pet." + headlessName)),
        new Case("headless without hostnames: hash labels, no PTR",
            headless("default", "headless", false),
            List.of(slice("headless-abc", "IPv4", List.of(),
                endpoint(null, true, "10.3.0.101"), endpoint("", true, "10.3.0.102"))),
            map(headless + "/" + h(a("10.3.0.101")), a("10.3.0.101"),
                headless + "/" + h(a("10.3.0.102")), a("10.3.0.102")),
            map()),
        new Case("headless: several slices merged, duplicates collapse",
            headless("default", "headless", false),
            List.of(
                slice("headless-1", "IPv4", List.of(endpointPort("http", "TCP", 80)),
                    endpoint("a", true, "10.3.0.1"), endpoint(null, true, "10.3.0.2")),
                slice("headless-2", "IPv4", List.of(endpointPort("http", "TCP", 80)),
                    endpoint(null, true, "10.3.0.2"), endpoint("a", true, "10.3.0.1"),
                    endpoint("c", true, "10.3.0.3"))),
            map(headless + "/a", a("10.3.0.1"),
                headless + "/" + h(a("10.3.0.2")), a("10.3.0.2"),
                headless + "/c", a("10.3.0.3"),
                headless + "/_tcp/_http/a", srv("a." + headlessName, 80),
                headless + "/_tcp/_http/" + h(a("10.3.0.2")), srv(h(a("10.3.0.2")) + "." + headlessName, 80),
                headless + "/_tcp/_http/c", srv("c." + headlessName, 80)),
            map("/skydns/arpa/in-addr/10/3/0/1", "a." + headlessName,
                "/skydns/arpa/in-addr/10/3/0/3", "c." + headlessName)),
        new Case("headless dual-stack: one hostname in an IPv4 and an IPv6 slice answers both",
            headless("default", "headless", false),
            List.of(
                slice("headless-v4", "IPv4", List.of(endpointPort("http", "TCP", 80)),
                    endpoint("web-0", true, "10.0.0.5")),
                slice("headless-v6", "IPv6", List.of(endpointPort("http", "TCP", 80)),
                    endpoint("web-0", true, "fd00::5"))),
            map(headless + "/web-0/" + s(a("10.0.0.5")), a("10.0.0.5"),
                headless + "/web-0/" + s(a("fd00::5")), a("fd00::5"),
                headless + "/_tcp/_http/web-0", srv("web-0." + headlessName, 80)),
            map("/skydns/arpa/in-addr/10/0/0/5", "web-0." + headlessName,
                ip6Key("fd000000000000000000000000000005"), "web-0." + headlessName)),
        new Case("headless: an endpoint with a hostname and several addresses",
            headless("default", "headless", false),
            List.of(slice("headless-abc", "IPv4", List.of(),
                endpoint("web-0", true, "10.0.0.6", "10.0.0.5"))),
            map(headless + "/web-0/" + s(a("10.0.0.5")), a("10.0.0.5"),
                headless + "/web-0/" + s(a("10.0.0.6")), a("10.0.0.6")),
            map("/skydns/arpa/in-addr/10/0/0/5", "web-0." + headlessName,
                "/skydns/arpa/in-addr/10/0/0/6", "web-0." + headlessName)),
        new Case("headless: an endpoint without hostname and several addresses is one label",
            headless("default", "headless", false),
            List.of(slice("headless-abc", "IPv4", List.of(endpointPort("http", "TCP", 80)),
                endpoint(null, true, "10.0.0.6", "10.0.0.5"))),
            map(headless + "/" + h(a("10.0.0.5")) + "/" + s(a("10.0.0.5")), a("10.0.0.5"),
                headless + "/" + h(a("10.0.0.5")) + "/" + s(a("10.0.0.6")), a("10.0.0.6"),
                headless + "/_tcp/_http/" + h(a("10.0.0.5")),
                srv(h(a("10.0.0.5")) + "." + headlessName, 80)),
            map()),
        new Case("headless: endpoints whose hash labels collide share the label, both addresses kept",
            headless("default", "headless", false),
            List.of(slice("headless-abc", "IPv4", List.of(endpointPort("http", "TCP", 80)),
                endpoint(null, true, "10.1.89.19"), endpoint(null, true, "10.3.23.200"))),
            map(headless + "/29f86c7b/" + s(a("10.1.89.19")), a("10.1.89.19"),
                headless + "/29f86c7b/" + s(a("10.3.23.200")), a("10.3.23.200"),
                headless + "/_tcp/_http/29f86c7b", srv("29f86c7b." + headlessName, 80)),
            map()),
        new Case("headless: unready endpoints are left out, ready unknown counts as ready",
            headless("default", "headless", false),
            List.of(slice("headless-abc", "IPv4", List.of(),
                endpoint("up", true, "10.0.0.1"), endpoint("unknown", null, "10.0.0.2"),
                endpoint("down", false, "10.0.0.3"), endpointWithoutConditions("bare", "10.0.0.4"))),
            map(headless + "/up", a("10.0.0.1"), headless + "/unknown", a("10.0.0.2"),
                headless + "/bare", a("10.0.0.4")),
            map("/skydns/arpa/in-addr/10/0/0/1", "up." + headlessName,
                "/skydns/arpa/in-addr/10/0/0/2", "unknown." + headlessName,
                "/skydns/arpa/in-addr/10/0/0/4", "bare." + headlessName)),
        new Case("headless with publishNotReadyAddresses: unready endpoints are published",
            headless("default", "headless", true),
            List.of(slice("headless-abc", "IPv4", List.of(),
                endpoint("up", true, "10.0.0.1"), endpoint("down", false, "10.0.0.3"))),
            map(headless + "/up", a("10.0.0.1"), headless + "/down", a("10.0.0.3")),
            map("/skydns/arpa/in-addr/10/0/0/1", "up." + headlessName,
                "/skydns/arpa/in-addr/10/0/0/3", "down." + headlessName)),
        new Case("row 7: headless with no ready endpoint publishes nothing (NXDOMAIN)",
            headless("default", "headless", false),
            List.of(slice("headless-abc", "IPv4", List.of(endpointPort("http", "TCP", 80)),
                endpoint("down", false, "10.0.0.3"))),
            map(), map()),
        new Case("headless with no EndpointSlice publishes nothing",
            headless("default", "headless", false), List.of(), map(), map()),
        new Case("headless: FQDN slices are skipped",
            headless("default", "headless", false),
            List.of(slice("headless-fqdn", "FQDN", List.of(), endpoint(null, true, "example.com")),
                slice("headless-v4", "IPv4", List.of(), endpoint("up", true, "10.0.0.1"))),
            map(headless + "/up", a("10.0.0.1")),
            map("/skydns/arpa/in-addr/10/0/0/1", "up." + headlessName)),
        new Case("headless: unnamed endpoint ports have no SRV; UDP and SCTP ones do",
            headless("default", "headless", false),
            List.of(slice("headless-abc", "IPv4",
                List.of(endpointPort(null, "TCP", 8080), endpointPort("", "TCP", 8081),
                    endpointPort("dns", "UDP", 53), endpointPort("sig", "SCTP", 9000)),
                endpoint("up", true, "10.0.0.1"))),
            map(headless + "/up", a("10.0.0.1"),
                headless + "/_udp/_dns/up", srv("up." + headlessName, 53),
                headless + "/_sctp/_sig/up", srv("up." + headlessName, 9000)),
            map("/skydns/arpa/in-addr/10/0/0/1", "up." + headlessName)),
        new Case("headless: hostnames are lower-cased, addresses written canonically",
            headless("default", "headless", false),
            List.of(slice("headless-abc", "IPv6", List.of(), endpoint("Web-0", true, "FD00:0:0::5"))),
            map(headless + "/web-0", a("fd00::5")),
            map(ip6Key("fd000000000000000000000000000005"), "web-0." + headlessName)),
        new Case("row 11: ExternalName is one leaf at the directory key, made absolute",
            externalName("default", "foo", "www.example.com", port("http", "TCP", 80)), List.of(),
            map(foo, a("www.example.com.")), map()),
        new Case("ExternalName: a trailing dot is kept, capitals lowered",
            externalName("default", "foo", "WWW.Example.com."), List.of(),
            map(foo, a("www.example.com.")), map()),
        new Case("ExternalName with an IPv4 literal is published as an A leaf",
            externalName("default", "foo", "192.0.2.53"), List.of(),
            map(foo, a("192.0.2.53")), map()),
        new Case("ExternalName with an IPv6 literal is published as an AAAA leaf",
            externalName("default", "foo", "2001:DB8::53"), List.of(),
            map(foo, a("2001:db8::53")), map()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void publishesExactlyTheExpectedRecords(Case row) {
    DesiredRecords desired = RECORDS.forService(row.service(), row.slices());

    assertThat(json(desired.leaves())).isEqualTo(row.leaves());
    assertThat(ptrs(desired.ptrClaims())).isEqualTo(row.ptrs());
    assertThat(desired.problems()).isEmpty();
  }

  @Test
  void row1SchemaVersionIsAClusterRecord() {
    assertThat(json(RECORDS.clusterRecords()))
        .isEqualTo(map("/skydns/local/cluster/dns-version", "{\"text\":\"1.1.0\",\"ttl\":28800}"));
  }

  @Test
  void headlessNamesAreDnsLabelsUnderTheServiceName() {
    DesiredRecords desired = RECORDS.forService(headless("default", "headless", false),
        List.of(slice("s", "IPv4", List.of(), endpoint(null, true, "10.3.0.101"))));
    // The spec's example of a system-generated identifier is a plain label, as ours is.
    String label = desired.leaves().keySet().iterator().next().substring(dir("default", "headless").length() + 1);
    assertThat(label).matches("[0-9a-f]{1,8}");
  }

  /**
   * Every Service with its slices from both tables, good and bad, as (name, Service, slices): for
   * tests elsewhere that must hold for every input the record functions know, such as the
   * informers' lean copies yielding the same records.
   */
  static Stream<Arguments> everyInput() {
    return Stream.concat(
        cases().map(row -> Arguments.of(row.name(), row.service(), row.slices())),
        badCases().map(row -> Arguments.of(row.name(), row.service(), row.slices())));
  }

  // ---------------------------------------------------------------------------------------------
  // Bad input: skipped, reported, never thrown.

  record BadCase(String name, Service service, List<EndpointSlice> slices,
      Map<String, String> leaves, List<String> problems) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<BadCase> badCases() {
    String web = dir("default", "web");
    String headless = dir("default", "headless");
    return Stream.of(
        new BadCase("malformed cluster IPs are skipped, the valid one published",
            clusterIp("default", "web", Arrays.asList("10.0.0.300", "10.0.0.7", "abc", "", null)), List.of(),
            map(web + "/" + h(a("10.0.0.7")), a("10.0.0.7")),
            List.of("cluster IP '10.0.0.300'", "cluster IP 'abc'", "cluster IP ''", "cluster IP 'null'")),
        new BadCase("only malformed cluster IPs: nothing",
            clusterIp("default", "web", List.of("[::1]"), port("http", "TCP", 80)), List.of(),
            map(), List.of("cluster IP '[::1]' is not an IP address")),
        new BadCase("a ClusterIP Service without cluster IP yet: nothing",
            new ServiceBuilder().withNewMetadata().withNamespace("default").withName("web").endMetadata()
                .withNewSpec().endSpec().build(),
            List.of(), map(), List.of("no cluster IP")),
        new BadCase("malformed endpoint addresses are skipped",
            headless("default", "headless", false),
            List.of(slice("s", "IPv4", List.of(),
                endpoint("up", true, "10.0.0.1", "10.0.0.01"), endpoint(null, true, "not-an-ip"))),
            map(headless + "/up", a("10.0.0.1")),
            List.of("endpoint address '10.0.0.01'", "endpoint address 'not-an-ip'")),
        new BadCase("a hostname that is no DNS label is replaced by the hash label",
            headless("default", "headless", false),
            List.of(slice("s", "IPv4", List.of(), endpoint("my_pet", true, "10.0.0.1"))),
            map(headless + "/" + h(a("10.0.0.1")), a("10.0.0.1")),
            List.of("endpoint hostname 'my_pet'")),
        new BadCase("an unknown address type is skipped and reported",
            headless("default", "headless", false),
            List.of(slice("s", "IPvX", List.of(), endpoint("up", true, "10.0.0.1"))),
            map(), List.of("address type 'IPvX'")),
        new BadCase("null elements in slices, endpoints and addresses are ignored",
            headless("default", "headless", false),
            Arrays.asList(null, slice("s", "IPv4", Arrays.asList(null, endpointPort("http", "TCP", 80)),
                null, endpoint("up", true, "10.0.0.1"))),
            map(headless + "/up", a("10.0.0.1"),
                headless + "/_tcp/_http/up", srv("up.headless.default.svc.cluster.local.", 80)),
            List.of()),
        new BadCase("ports without a valid number or usable name get no SRV",
            clusterIp("default", "web", List.of("10.0.0.7"),
                new ServicePortBuilder().withName("http").build(), port("big", "TCP", 70000),
                port("a.b", "TCP", 80), port("ok", "T/CP", 81)),
            List.of(), map(web + "/" + h(a("10.0.0.7")), a("10.0.0.7")),
            List.of("port 'http'", "port 'big'", "port 'a.b'", "port 'ok'")),
        new BadCase("ExternalName without a name: nothing",
            externalName("default", "foo", null), List.of(), map(), List.of("no externalName")),
        new BadCase("ExternalName that is no DNS name: nothing",
            externalName("default", "foo", "not a name/"), List.of(), map(),
            List.of("externalName 'not a name/'")),
        new BadCase("a Service without namespace: nothing",
            new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withClusterIP("10.0.0.7").endSpec().build(),
            List.of(), map(), List.of("namespace 'null'")),
        new BadCase("a Service whose name would break the key layout: nothing",
            clusterIp("default", "a/b", List.of("10.0.0.7")), List.of(), map(), List.of("name 'a/b'")),
        new BadCase("a Service without spec: nothing",
            new ServiceBuilder().withNewMetadata().withNamespace("default").withName("web").endMetadata().build(),
            List.of(), map(), List.of("no spec")),
        new BadCase("no Service at all: nothing", null, null, map(), List.of("not a DNS label")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCases")
  void skipsAndReportsBadInput(BadCase row) {
    DesiredRecords desired = RECORDS.forService(row.service(), row.slices());

    assertThat(json(desired.leaves())).isEqualTo(row.leaves());
    assertThat(desired.problems()).hasSameSizeAs(row.problems());
    for (String problem : row.problems()) {
      assertThat(desired.problems()).anySatisfy(reported -> assertThat(reported).contains(problem));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Stability and scale.

  @Test
  void sameInputGivesEqualRecords() {
    Service service = headless("default", "headless", false);
    assertThat(RECORDS.forService(service, manySlices(false)))
        .isEqualTo(RECORDS.forService(service, manySlices(false)));
  }

  @Test
  void orderOfSlicesEndpointsAndAddressesDoesNotMatter() {
    Service service = headless("default", "headless", false);
    DesiredRecords inOrder = RECORDS.forService(service, manySlices(false));
    DesiredRecords reordered = RECORDS.forService(service, manySlices(true));

    assertThat(inOrder.leaves()).hasSize(7); // 4 ready endpoints with 5 addresses, 2 of them SRV
    assertThat(reordered).isEqualTo(inOrder);
  }

  @Test
  void dualStackClusterIpOrderDoesNotMatter() {
    assertThat(RECORDS.forService(clusterIp("d", "w", List.of("fd00::1", "10.0.0.1"), port("p", "TCP", 1)), null))
        .isEqualTo(RECORDS.forService(clusterIp("d", "w", List.of("10.0.0.1", "fd00::1"), port("p", "TCP", 1)), null));
  }

  private static List<EndpointSlice> manySlices(boolean reversed) {
    List<Endpoint> first = new ArrayList<>(List.of(endpoint("a", true, "10.0.0.1", "10.0.0.9"),
        endpoint(null, true, "10.0.0.2")));
    List<Endpoint> second = new ArrayList<>(List.of(endpoint(null, true, "10.0.0.3"),
        endpoint("b", true, "10.0.0.4"), endpoint(null, false, "10.0.0.5")));
    if (reversed) {
      Collections.reverse(first);
      Collections.reverse(second);
      first.set(first.size() - 1, endpoint("a", true, "10.0.0.9", "10.0.0.1"));
    }
    List<EndpointSlice> slices = new ArrayList<>(List.of(
        slice("s1", "IPv4", List.of(endpointPort("http", "TCP", 80)), first.toArray(Endpoint[]::new)),
        slice("s2", "IPv4", List.of(), second.toArray(Endpoint[]::new))));
    if (reversed) {
      Collections.reverse(slices);
    }
    return slices;
  }

  @Test
  void fiveThousandEndpoints() {
    Service service = headless("default", "big", false);
    List<EndpointSlice> slices = IntStream.range(0, 5).mapToObj(s -> slice("big-" + s, "IPv4",
        List.of(endpointPort("http", "TCP", 80)),
        IntStream.range(0, 1000)
            .mapToObj(e -> endpoint(null, true, "10." + (s + 2) + "." + (e / 250) + "." + (e % 250)))
            .toArray(Endpoint[]::new)))
        .toList();

    DesiredRecords desired = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> RECORDS.forService(service, slices));

    long addresses = desired.leaves().keySet().stream().filter(key -> !key.contains("/_")).count();
    long srvs = desired.leaves().keySet().stream().filter(key -> key.contains("/_tcp/_http/")).count();
    assertThat(addresses).isEqualTo(5000);
    assertThat(srvs).isEqualTo(5000);
    assertThat(desired.problems()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // PTR claims: ranking.

  @Test
  void clusterIpClaimBeatsEndpointClaimsThenOwnerThenHostname() {
    List<PtrClaim> claims = new ArrayList<>();
    claims.addAll(RECORDS.forService(headless("b", "pets", false),
        List.of(slice("s", "IPv4", List.of(), endpoint("x", true, "10.0.0.1")))).ptrClaims());
    claims.addAll(RECORDS.forService(headless("a", "pets", false),
        List.of(slice("s", "IPv4", List.of(), endpoint("z", true, "10.0.0.1"),
            endpoint("y", true, "10.0.0.1")))).ptrClaims());
    claims.addAll(RECORDS.forService(clusterIp("z", "vip", List.of("10.0.0.1")), List.of()).ptrClaims());
    Collections.shuffle(claims, new java.util.Random(7));

    List<String> ranked = claims.stream().sorted().map(claim -> claim.value().host()).toList();

    assertThat(ranked).containsExactly("vip.z.svc.cluster.local.", "y.pets.a.svc.cluster.local.",
        "z.pets.a.svc.cluster.local.", "x.pets.b.svc.cluster.local.");
    PtrClaim winner = Collections.min(claims);
    assertThat(winner.kind()).isEqualTo(PtrClaim.Kind.CLUSTER_IP);
    assertThat(winner.owner()).isEqualTo(new ServiceKey("z", "vip"));
    assertThat(winner.key()).isEqualTo("/skydns/arpa/in-addr/10/0/0/1");
    assertThat(winner.value().toJson()).isEqualTo("{\"host\":\"vip.z.svc.cluster.local.\",\"ttl\":30}");
  }

  @Test
  void claimsAreOrderedByKeyFirst() {
    List<PtrClaim> claims = RECORDS.forService(
        clusterIp("d", "w", List.of("10.0.0.2", "10.0.0.10", "fd00::1")), List.of()).ptrClaims();
    assertThat(claims).isSorted().extracting(PtrClaim::key).containsExactly(
        "/skydns/arpa/in-addr/10/0/0/10", "/skydns/arpa/in-addr/10/0/0/2",
        ip6Key("fd000000000000000000000000000001"));
  }

  // ---------------------------------------------------------------------------------------------
  // Legacy names.

  @Test
  void legacyNamesMirrorEveryLeafUnderTheOldDirectory() {
    Service service = clusterIp("default", "kubernetes", List.of("10.3.0.1"), port("https", "TCP", 443));
    Map<String, ServiceRecord> without = RECORDS.forService(service, List.of()).leaves();
    DesiredRecords with = LEGACY.forService(service, List.of());

    Map<String, ServiceRecord> expected = new TreeMap<>(without);
    without.forEach((key, value) -> expected.put(
        key.replace("/skydns/local/cluster/svc/default/", "/skydns/local/cluster/default/"), value));
    assertThat(with.leaves()).isEqualTo(expected).hasSize(4);
    assertThat(with.problems()).isEmpty();
    assertThat(LEGACY.legacyDirectoryKey(new ServiceKey("default", "kubernetes")))
        .contains("/skydns/local/cluster/default/kubernetes");
    assertThat(RECORDS.legacyDirectoryKey(new ServiceKey("default", "kubernetes"))).isEmpty();
  }

  @Test
  void legacyExternalNameIsALeafAtTheOldDirectoryKey() {
    assertThat(LEGACY.forService(externalName("default", "foo", "www.example.com"), null).leaves())
        .containsOnlyKeys(dir("default", "foo"), "/skydns/local/cluster/default/foo");
  }

  @ParameterizedTest
  @ValueSource(strings = {"svc", "pod", "dns", "dns-version"})
  void legacyNamesAreNotWrittenForReservedNamespaces(String namespace) {
    DesiredRecords desired = LEGACY.forService(clusterIp(namespace, "web", List.of("10.0.0.7")), null);

    assertThat(desired.leaves()).containsOnlyKeys(dir(namespace, "web") + "/" + h(a("10.0.0.7")));
    assertThat(desired.problems()).singleElement().asString().contains("reserved");
    assertThat(LEGACY.legacyDirectoryKey(new ServiceKey(namespace, "web"))).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Ownership, for the reconciler and the garbage collection.

  @Test
  void directoryKeys() {
    assertThat(RECORDS.directoryKey(new ServiceKey("default", "kubernetes")))
        .isEqualTo("/skydns/local/cluster/svc/default/kubernetes");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "none", value = {
      "/skydns/local/cluster/svc/default/web, default/web, default/web",
      "/skydns/local/cluster/svc/default/web/1a2b, default/web, default/web",
      "/skydns/local/cluster/svc/default/web/_tcp/_http/1a2b, default/web, default/web",
      "/skydns/local/cluster/svc/default, none, none",
      "/skydns/local/cluster/svc, none, none",
      "/skydns/local/cluster/default/web/1a2b, none, default/web",
      "/skydns/local/cluster/default/web, none, default/web",
      "/skydns/local/cluster/svc/web, none, none",
      "/skydns/local/cluster/dns/ns/ns1, none, none",
      "/skydns/local/cluster/dns-version, none, none",
      "/skydns/arpa/in-addr/10/0/0/1, none, none",
      "/skydns/config, none, none",
      "/other/local/cluster/svc/default/web, none, none"})
  void ownerOfAKey(String key, String owner, String legacyOwner) {
    assertThat(RECORDS.owner(key).map(ServiceKey::toString)).isEqualTo(Optional.ofNullable(owner));
    assertThat(LEGACY.owner(key).map(ServiceKey::toString)).isEqualTo(Optional.ofNullable(legacyOwner));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}, legacy {3}")
  @CsvSource(nullValues = "none", value = {
      "/skydns/local/cluster/svc/default/web/1a2b, 10.0.0.1, true, true",
      "/skydns/local/cluster/svc/default, 10.0.0.1, true, true",
      "/skydns/local/cluster/dns-version, none, true, true",
      "/skydns/local/cluster/default/web/1a2b, 10.0.0.1, false, false",
      "/skydns/local/cluster/dns/ns/ns1, 10.0.0.53, false, false",
      "/skydns/local/cluster/hand-made, 10.0.0.1, false, false",
      "/skydns/arpa/in-addr/10/0/0/1, web.default.svc.cluster.local., true, true",
      "/skydns/arpa/in-addr/10/0/0/1, web.default.svc.cluster.local, true, true",
      "/skydns/arpa/in-addr/10/0/0/1, WEB.default.SVC.cluster.local., true, true",
      "/skydns/arpa/in-addr/10/0/0/2, router.example.com., false, false",
      "/skydns/arpa/in-addr/10/0/0/2, none, false, false",
      "/skydns/config, none, false, false"})
  void managedKeys(String key, String host, boolean managed, boolean managedWithLegacy) {
    ServiceRecord value = host == null ? null : ServiceRecord.ofHost(host);
    assertThat(RECORDS.isManaged(key, value)).isEqualTo(managed);
    assertThat(LEGACY.isManaged(key, value)).isEqualTo(managedWithLegacy);
  }

  @Test
  void aServiceOrNamespaceNamedAnyIsPublishedWithAProblemSayingWhyItsAnswersDiffer() {
    DesiredRecords service = RECORDS.forService(clusterIp("default", "any", List.of("10.0.0.1")), List.of());
    DesiredRecords namespace = RECORDS.forService(clusterIp("any", "web", List.of("10.0.0.2")), List.of());

    assertThat(service.leaves()).isNotEmpty();
    assertThat(service.problems()).singleElement().asString().contains("wildcard");
    assertThat(namespace.problems()).singleElement().asString().contains("wildcard");
    assertThat(RECORDS.forService(clusterIp("default", "anyway", List.of("10.0.0.3")), List.of()).problems())
        .isEmpty();
  }

  @Test
  void aLegacyKeyIsManagedOnlyWithTheValueShapeKube2skyWrites() {
    // The legacy directories share the domain with records registered by hand (db.hosts.D).
    String key = "/skydns/local/cluster/hosts/db";
    ServiceRecord written = LEGACY.forService(clusterIp("default", "web", List.of("10.0.0.1")), List.of())
        .leaves().values().iterator().next();
    assertThat(LEGACY.isManaged(key, written)).isTrue();
    assertThat(LEGACY.isManaged(key, ServiceRecord.ofHost("10.0.0.7"))).isFalse();
    assertThat(LEGACY.isManaged(key, null)).isFalse();
    assertThat(RECORDS.isManaged(key, written)).isFalse();
  }

  // ---------------------------------------------------------------------------------------------
  // The keys answer the spec's names under SkyDNS semantics: a name's answer is every leaf at and
  // below its key; address questions skip "_" children, as our server does.

  @Test
  void keysAnswerTheSpecNames() {
    Map<String, ServiceRecord> leaves = new TreeMap<>(RECORDS.clusterRecords());
    DesiredRecords kubernetes = RECORDS.forService(
        clusterIp("default", "kubernetes", List.of("10.3.0.1", "2001:db8::1"), port("https", "TCP", 443)), null);
    DesiredRecords headless = RECORDS.forService(headless("default", "headless", false), List.of(
        slice("v4", "IPv4", List.of(endpointPort("http", "TCP", 80)),
            endpoint("my-pet", true, "10.3.0.100"), endpoint(null, true, "10.3.0.101")),
        slice("v6", "IPv6", List.of(endpointPort("http", "TCP", 80)), endpoint("my-pet", true, "fd00::100"))));
    DesiredRecords foo = RECORDS.forService(externalName("default", "foo", "www.example.com"), null);
    leaves.putAll(kubernetes.leaves());
    leaves.putAll(headless.leaves());
    leaves.putAll(foo.leaves());

    assertThat(answer(leaves, "dns-version.cluster.local.", false))
        .extracting(ServiceRecord::text).containsExactly("1.1.0");
    assertThat(hosts(answer(leaves, "kubernetes.default.svc.cluster.local.", true)))
        .containsExactlyInAnyOrder("10.3.0.1", "2001:db8::1");
    List<ServiceRecord> srv = answer(leaves, "_https._tcp.kubernetes.default.svc.cluster.local.", false);
    assertThat(srv).singleElement().satisfies(record -> {
      assertThat(record.host()).isEqualTo("kubernetes.default.svc.cluster.local.");
      assertThat(record.port()).isEqualTo(443);
    });
    String srvKey = leaves.keySet().stream().filter(key -> key.contains("/_https")).findFirst().orElseThrow();
    assertThat(PATH.name(srvKey.substring(0, srvKey.lastIndexOf('/'))))
        .isEqualTo("_https._tcp.kubernetes.default.svc.cluster.local.");
    for (PtrClaim claim : kubernetes.ptrClaims()) {
      assertThat(PATH.name(claim.key())).isIn("1.0.3.10.in-addr.arpa.",
          "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.");
    }
    assertThat(hosts(answer(leaves, "headless.default.svc.cluster.local.", true)))
        .containsExactlyInAnyOrder("10.3.0.100", "10.3.0.101", "fd00::100");
    assertThat(hosts(answer(leaves, "my-pet.headless.default.svc.cluster.local.", true)))
        .containsExactlyInAnyOrder("10.3.0.100", "fd00::100");
    List<ServiceRecord> headlessSrv = answer(leaves, "_http._tcp.headless.default.svc.cluster.local.", false);
    assertThat(headlessSrv).hasSize(2);
    for (ServiceRecord record : headlessSrv) {
      assertThat(answer(leaves, record.host(), true)).as("SRV target %s resolves", record.host()).isNotEmpty();
    }
    assertThat(headless.ptrClaims()).extracting(claim -> PATH.name(claim.key()))
        .contains("100.0.3.10.in-addr.arpa.");
    // CNAME questions read the exact key: the ExternalName leaf is there.
    assertThat(leaves.get(PATH.key("foo.default.svc.cluster.local."))).extracting(ServiceRecord::host)
        .isEqualTo("www.example.com.");
  }

  private static List<ServiceRecord> answer(Map<String, ServiceRecord> leaves, String name, boolean address) {
    EtcdPath.Query query = PATH.query(name);
    return leaves.entrySet().stream()
        .filter(leaf -> query.matches(leaf.getKey()))
        .filter(leaf -> !address || !leaf.getKey().substring(query.path().length()).contains("/_"))
        .map(Map.Entry::getValue)
        .toList();
  }

  private static List<String> hosts(List<ServiceRecord> records) {
    return records.stream().filter(record -> IpLiterals.parse(record.host()).isPresent())
        .map(ServiceRecord::host).toList();
  }

  // ---------------------------------------------------------------------------------------------
  // Labels, addresses, configuration.

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      // spec section 1.4: the labels found in real kube2sky logs, and the post-2015 form
      "{\"host\":\"11.1.1.1\",\"priority\":10,\"weight\":10,\"ttl\":30,\"targetstrip\":0}|2f15de08",
      "{\"host\":\"10.0.183.39\",\"priority\":10,\"weight\":10,\"ttl\":30,\"targetstrip\":0}|e3b7df90",
      "{\"host\":\"11.1.1.1\",\"priority\":10,\"weight\":10,\"ttl\":30}|c0edca03"})
  void hashLabelsAreKube2skys(String json, String label) {
    assertThat(LeafSet.hashLabel(json)).isEqualTo(label);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"'', cbf29ce484222325", "a, af63dc4c8601ec8c", "foobar, 85944171f73967e8"})
  void subLabelsAreFnv1a64(String text, String label) {
    assertThat(LeafSet.subLabel(text)).isEqualTo(label);
  }

  @Test
  void collidingFixtureReallyCollides() {
    assertThat(h(a("10.1.89.19"))).isEqualTo(h(a("10.3.23.200"))).isEqualTo("29f86c7b");
  }

  @Test
  void clusterIpLeafIsLabelledAsKube2skyLabelledIt() {
    assertThat(RECORDS.forService(clusterIp("default", "kubernetes", List.of("11.1.1.1")), null).leaves())
        .containsOnlyKeys("/skydns/local/cluster/svc/default/kubernetes/c0edca03");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
      "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
      "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
      "1:0:1:0:1:0:1:0, 1:0:1:0:1:0:1:0",
      "0:0:0:0:0:0:0:0, ::",
      "0:0:0:0:0:0:0:1, ::1",
      "1:0:0:0:0:0:0:0, 1::",
      "fd00:0000:0000:0000:0000:0000:0000:0100, fd00::100",
      "::ffff:10.0.0.1, 10.0.0.1",
      "10.0.0.1, 10.0.0.1"})
  void addressesAreWrittenCanonically(String text, String canonical) {
    assertThat(AddressText.canonical(text)).contains(canonical);
  }

  @Test
  void otherDomainPrefixAndTtl() {
    ServiceRecords records = new ServiceRecords(new RecordsConfig("Example.ORG", new EtcdPath("mydns"), 10, false));

    assertThat(records.config().domain()).isEqualTo("example.org.");
    assertThat(json(records.forService(clusterIp("ns", "web", List.of("10.0.0.7"), port("http", "TCP", 80)), null).leaves()))
        .isEqualTo(map(
            "/mydns/org/example/svc/ns/web/" + h(a("10.0.0.7", 10)), a("10.0.0.7", 10),
            "/mydns/org/example/svc/ns/web/_tcp/_http/" + h(srv("web.ns.svc.example.org.", 80, 10)),
            srv("web.ns.svc.example.org.", 80, 10)));
    assertThat(records.clusterRecords()).containsOnlyKeys("/mydns/org/example/dns-version");
    assertThat(records.isManaged("/mydns/arpa/in-addr/10/0/0/7", ServiceRecord.ofHost("web.ns.svc.example.org."))).isTrue();
    assertThat(records.isManaged("/mydns/arpa/in-addr/10/0/0/7", ServiceRecord.ofHost("web.ns.svc.cluster.local."))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "cluster..local", "any.local", "*.local", "a/b.local", "-x.local"})
  void invalidDomainsAreRejected(String domain) {
    assertThatThrownBy(() -> new RecordsConfig(domain, PATH, 30, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void defaults() {
    RecordsConfig defaults = RecordsConfig.defaults();
    assertThat(defaults.domain()).isEqualTo("cluster.local.");
    assertThat(defaults.path().prefix()).isEqualTo("skydns");
    assertThat(defaults.ttl()).isEqualTo(30);
    assertThat(defaults.legacyNames()).isFalse();
  }

  // ---------------------------------------------------------------------------------------------
  // Fixtures.

  private static String dir(String namespace, String name) {
    return "/skydns/local/cluster/svc/" + namespace + "/" + name;
  }

  private static String ip6Key(String nibbles) {
    return "/skydns/arpa/ip6/" + String.join("/", nibbles.split(""));
  }

  private static String h(String json) {
    return LeafSet.hashLabel(json);
  }

  private static String s(String json) {
    return LeafSet.subLabel(json);
  }

  private static String a(String host) {
    return a(host, 30);
  }

  private static String a(String host, int ttl) {
    return "{\"host\":\"" + host + "\",\"priority\":10,\"weight\":10,\"ttl\":" + ttl + "}";
  }

  private static String srv(String host, int port) {
    return srv(host, port, 30);
  }

  private static String srv(String host, int port, int ttl) {
    return "{\"host\":\"" + host + "\",\"port\":" + port + ",\"priority\":10,\"weight\":10,\"ttl\":" + ttl + "}";
  }

  private static Map<String, String> map(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static Map<String, String> json(Map<String, ServiceRecord> leaves) {
    return leaves.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, leaf -> leaf.getValue().toJson()));
  }

  private static Map<String, String> ptrs(List<PtrClaim> claims) {
    return claims.stream().collect(Collectors.toMap(PtrClaim::key, claim -> claim.value().host()));
  }

  private static ServicePort port(String name, String protocol, int port) {
    return new ServicePortBuilder().withName(name).withProtocol(protocol).withPort(port).build();
  }

  private static Service clusterIp(String namespace, String name, List<String> ips, ServicePort... ports) {
    return new ServiceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withNewSpec().withType("ClusterIP").withClusterIP(ips.get(0)).withClusterIPs(ips)
        .withPorts(ports).endSpec()
        .build();
  }

  private static Service withType(Service service, String type) {
    return new ServiceBuilder(service).editSpec().withType(type).endSpec().build();
  }

  private static Service headless(String namespace, String name, boolean publishNotReadyAddresses) {
    return new ServiceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withNewSpec().withType("ClusterIP").withClusterIP("None").withClusterIPs("None")
        .withPublishNotReadyAddresses(publishNotReadyAddresses)
        .withPorts(port("http", "TCP", 80)).endSpec()
        .build();
  }

  private static Service externalName(String namespace, String name, String externalName, ServicePort... ports) {
    return new ServiceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withNewSpec().withType("ExternalName").withExternalName(externalName).withPorts(ports).endSpec()
        .build();
  }

  private static EndpointSlice slice(String name, String addressType, List<EndpointPort> ports, Endpoint... endpoints) {
    return new EndpointSliceBuilder()
        .withNewMetadata().withNamespace("default").withName(name).endMetadata()
        .withAddressType(addressType).withPorts(ports).withEndpoints(endpoints)
        .build();
  }

  private static EndpointPort endpointPort(String name, String protocol, int port) {
    return new EndpointPortBuilder().withName(name).withProtocol(protocol).withPort(port).build();
  }

  private static Endpoint endpoint(String hostname, Boolean ready, String... addresses) {
    return new EndpointBuilder().withHostname(hostname).withAddresses(addresses)
        .withNewConditions().withReady(ready).endConditions().build();
  }

  private static Endpoint endpointWithoutConditions(String hostname, String... addresses) {
    return new EndpointBuilder().withHostname(hostname).withAddresses(addresses).build();
  }
}
