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
  private final Addon addon = DeployScript.dryRun(Map.of());
  private final Service service = addon.service();

  @Test
  void theServiceIsKubeDnsInKubeSystem() {
    assertThat(service.getApiVersion()).isEqualTo("v1");
    assertThat(service.getMetadata().getName()).isEqualTo("kube-dns");
    assertThat(service.getMetadata().getNamespace()).isEqualTo("kube-system");
    assertThat(service.getMetadata().getLabels())
        .isEqualTo(Map.of("k8s-app", "kube-dns", "kubernetes.io/cluster-service", "true"));
  }

  @Test
  void theServiceHasTheFixedClusterIp() {
    assertThat(service.getSpec().getClusterIP()).isEqualTo("10.0.0.10");
    assertThat(service.getSpec().getType()).as("ClusterIP, the default").isNull();
    assertThat(DeployScript.dryRun(Map.of(), "--dns-server-ip", "10.43.0.10").service().getSpec().getClusterIP())
        .isEqualTo("10.43.0.10");
  }

  @Test
  void theServiceOffersDnsOverUdpAndTcpOnPort53() {
    assertThat(service.getSpec().getPorts())
        .extracting(ServicePort::getName, ServicePort::getPort, ServicePort::getProtocol)
        .containsExactly(tuple("dns", 53, "UDP"), tuple("dns-tcp", 53, "TCP"));
  }

  @Test
  void theServiceReachesSkydnsInThePods() {
    ServiceSpec spec = service.getSpec();
    assertThat(addon.replicationController().getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(spec.getSelector());
    List<ContainerPort> skydnsPorts = addon.container("skydns").getPorts();
    for (ServicePort port : spec.getPorts()) {
      assertThat(skydnsPorts).as(port.getName()).anySatisfy(containerPort -> {
        assertThat(containerPort.getContainerPort()).isEqualTo(port.getTargetPort().getIntVal());
        assertThat(containerPort.getProtocol()).isEqualTo(port.getProtocol());
      });
    }
  }

  @Test
  void theServiceAccountIsThePods() {
    assertThat(addon.serviceAccount().getMetadata().getNamespace()).isEqualTo("kube-system");
    assertThat(addon.serviceAccount().getMetadata().getName()).isEqualTo(addon.pod().getServiceAccountName());
  }

  @Test
  void kube2skyMayOnlyGetListAndWatchServicesAndEndpointSlices() {
    ClusterRole role = addon.clusterRole();

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
    ClusterRoleBinding binding = addon.clusterRoleBinding();

    assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo(addon.clusterRole().getMetadata().getName());
    assertThat(binding.getSubjects())
        .extracting(Subject::getKind, Subject::getName, Subject::getNamespace)
        .containsExactly(tuple("ServiceAccount", addon.serviceAccount().getMetadata().getName(), "kube-system"));
  }
}
