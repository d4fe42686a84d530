package org.clusterdns.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The objects {@code scripts/deploy} installs, each of its kind exactly once.
 *
 * @param objects every object, in the order printed
 */
record Addon(List<HasMetadata> objects) {
  /** Requires one object of each kind the addon consists of, and nothing else. */
  static Addon of(List<HasMetadata> objects) {
    Map<String, Long> kinds = objects.stream().collect(Collectors.groupingBy(HasMetadata::getKind, Collectors.counting()));
    Map<String, Long> expected = Map.of("ServiceAccount", 1L, "ClusterRole", 1L, "ClusterRoleBinding", 1L,
        "ReplicationController", 1L, "Service", 1L);
    if (!kinds.equals(expected)) {
      throw new AssertionError("expected one object of each kind " + expected.keySet() + ", got " + kinds);
    }
    return new Addon(List.copyOf(objects));
  }

  /** Returns the pods' service account. */
  ServiceAccount serviceAccount() {
    return one(ServiceAccount.class);
  }

  /** Returns kube2sky's cluster role. */
  ClusterRole clusterRole() {
    return one(ClusterRole.class);
  }

  /** Returns the binding of that role to the service account. */
  ClusterRoleBinding clusterRoleBinding() {
    return one(ClusterRoleBinding.class);
  }

  /** Returns the kube-dns ReplicationController. */
  ReplicationController replicationController() {
    return one(ReplicationController.class);
  }

  /** Returns the kube-dns Service. */
  Service service() {
    return one(Service.class);
  }

  /** Returns the pod spec of the ReplicationController's template. */
  PodSpec pod() {
    return replicationController().getSpec().getTemplate().getSpec();
  }

  /** Returns the pod's container called {@code name}. */
  Container container(String name) {
    return pod().getContainers().stream().filter(container -> container.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("the pod has no container " + name));
  }

  private <T extends HasMetadata> T one(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
  }
}
