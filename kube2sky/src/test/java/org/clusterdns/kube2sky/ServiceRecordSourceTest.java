package org.clusterdns.kube2sky;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.clusterdns.kube2sky.records.PtrClaim;
import org.clusterdns.kube2sky.watch.ServiceKey;
import org.clusterdns.records.ServiceRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceRecordSourceTest {
  private static final String KEY = "/skydns/arpa/in-addr/10/0/0/1";

  private static PtrClaim claim(PtrClaim.Kind kind, String namespace, String name, String hostname) {
    return new PtrClaim(KEY, ServiceRecord.ofHost(name + "." + namespace + ".svc.cluster.local."), kind,
        new ServiceKey(namespace, name), hostname);
  }

  /** The synchroniser compares ranks as strings; they must order claims as the records module does. */
  @ParameterizedTest(name = "{0}/{1}/{2} before {3}/{4}/{5}")
  @CsvSource({
      "default, web, '', default, web-2, ''",
      "a, web, '', a-b, web, ''",
      "default, web, pet-0, default, web, pet-0a",
      "zz, zz, '', a, a, pet"})
  void rankStringsOrderClaimsAsTheRecordsModuleDoes(String ns1, String name1, String host1,
      String ns2, String name2, String host2) {
    PtrClaim first = host1.isEmpty()
        ? claim(PtrClaim.Kind.CLUSTER_IP, ns1, name1, "") : claim(PtrClaim.Kind.ENDPOINT, ns1, name1, host1);
    PtrClaim second = host2.isEmpty()
        ? claim(PtrClaim.Kind.CLUSTER_IP, ns2, name2, "") : claim(PtrClaim.Kind.ENDPOINT, ns2, name2, host2);

    assertThat(first.compareTo(second)).isNegative();
    assertThat(ServiceRecordSource.rank(first)).isLessThan(ServiceRecordSource.rank(second));
    assertThat(List.of(first, second)).isSorted();
  }
}
