package org.clusterdns.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The kube-dns Service at its fixed address in front of the DNS pods, and the service account
 * and RBAC that let kube2sky read Services and EndpointSlices and nothing else.
 */
class ServiceAndRbacTest {
  // Rendered once: the tests only read it.
  private static final Addon ADDON = DeployScript.dryRun(Map.of());
  private static final Service SERVICE = ADDON.service();

  @Test
  void theServiceIsKubeDnsInKubeSystem() {
    assertThat(SERVICE.getApiVersion()).isEqualTo("v1");
    assertThat(SERVICE.getMetadata().getName()).isEqualTo("kube-dns");
    assertThat(SERVICE.getMetadata().getNamespace()).isEqualTo("kube-system");
    assertThat(SERVICE.getMetadata().getLabels())
        .isEqualTo(Map.of("k8s-app", "kube-dns", "kubernetes.io/cluster-service", "true"));
  }

  @Test
  void theServiceHasTheFixedClusterIp() {
    assertThat(SERVICE.getSpec().getClusterIP()).isEqualTo("10.0.0.10");
    assertThat(SERVICE.getSpec().getType()).as("ClusterIP, the default").isNull();
    assertThat(DeployScript.dryRun(Map.of(), "--dns-server-ip", "10.43.0.10").service().getSpec().getClusterIP())
        .isEqualTo("10.43.0.10");
  }

  @Test
  void theServiceOffersDnsOverUdpAndTcpOnPort53() {
    assertThat(SERVICE.getSpec().getPorts())
        .extracting(ServicePort::getName, ServicePort::getPort, ServicePort::getProtocol)
        .containsExactly(tuple("dns", 53, "UDP"), tuple("dns-tcp", 53, "TCP"));
  }

  @Test
  void theServiceReachesSkydnsInThePods() {
    ServiceSpec spec = SERVICE.getSpec();
    assertThat(ADDON.replicationController().getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(spec.getSelector());
    List<ContainerPort> skydnsPorts = ADDON.container("skydns").getPorts();
    for (ServicePort port : spec.getPorts()) {
      assertThat(skydnsPorts).as(port.getName()).anySatisfy(containerPort -> {
        assertThat(containerPort.getContainerPort()).isEqualTo(port.getTargetPort().getIntVal());
        assertThat(containerPort.getProtocol()).isEqualTo(port.getProtocol());
      });
    }
  }

  @Test
  void theServiceAccountIsThePods() {
    assertThat(ADDON.serviceAccount().getMetadata().getNamespace()).isEqualTo("kube-system");
    assertThat(ADDON.serviceAccount().getMetadata().getName()).isEqualTo(ADDON.pod().getServiceAccountName());
  }

  @Test
  void kube2skyMayOnlyGetListAndWatchServicesAndEndpointSlices() {
    ClusterRole role = ADDON.clusterRole();

    assertThat(role.getAggregationRule()).isNull();
    assertThat(role.getRules())
        .extracting(PolicyRule::getApiGroups, PolicyRule::getResources, PolicyRule::getVerbs,
            PolicyRule::getResourceNames, PolicyRule::getNonResourceURLs)
        .containsExactly(
            tuple(List.of(""), List.of("services"), List.of("get", "list", "watch"), List.of(), List.of()),
            tuple(List.of("discovery.k8s.io"), List.of("endpointslices"), List.of("get", "list", "watch"),
                List.of(), List.of()));
  }

  @Test
  void theBindingGivesThatRoleToThePodsServiceAccountOnly() {
    ClusterRoleBinding binding = ADDON.clusterRoleBinding();

    assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo(ADDON.clusterRole().getMetadata().getName());
    assertThat(binding.getSubjects())
        .extracting(Subject::getKind, Subject::getName, Subject::getNamespace)
        .containsExactly(tuple("ServiceAccount", ADDON.serviceAccount().getMetadata().getName(), "kube-system"));
  }
}
