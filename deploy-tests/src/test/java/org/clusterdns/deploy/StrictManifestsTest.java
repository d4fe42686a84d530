package org.clusterdns.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The strict reader refuses what the API server refuses, so the template tests can trust it. */
class StrictManifestsTest {
  private static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata:
        name: kube-dns
        namespace: kube-system
        labels:
          kubernetes.io/cluster-service: "true"
      spec:
        clusterIP: 10.0.0.10
        ports:
        - name: dns
          port: 53
          protocol: UDP
      """;

  @Test
  void readsEveryDocumentOfAStream() {
    List<HasMetadata> objects = StrictManifests.parse("---\n" + SERVICE + "---\n# only a comment\n---\n" + SERVICE);

    assertThat(objects).hasSize(2).allSatisfy(object -> assertThat(object).isInstanceOf(Service.class));
    Service service = (Service) objects.get(0);
    assertThat(service.getSpec().getClusterIP()).isEqualTo("10.0.0.10");
    assertThat(service.getMetadata().getLabels()).containsEntry("kubernetes.io/cluster-service", "true");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a field the model does not know | 'clusterIP: 10.0.0.10' | 'clusterIP: 10.0.0.10\n  clusterIp: 10.0.0.11'",
      "a misspelt nested field         | 'protocol: UDP'         | 'protocl: UDP'",
      "an unquoted boolean label value | '\"true\"'              | 'true'",
      "a port as a string              | 'port: 53'              | 'port: \"53\"'",
      "a key given twice               | 'name: dns'             | 'name: dns\n    name: dns-udp'",
      "a kind that does not exist      | 'kind: Service'         | 'kind: Servise'",
  })
  void refuses(String what, String valid, String invalid) {
    assertThat(SERVICE).contains(valid);
    String broken = SERVICE.replace(valid, invalid);

    assertThatThrownBy(() -> StrictManifests.parse(broken)).as(what).isInstanceOf(RuntimeException.class);
  }
}
