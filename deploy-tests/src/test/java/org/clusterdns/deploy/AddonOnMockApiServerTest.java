package org.clusterdns.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.clusterdns.kube2sky.testing.MockApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code scripts/deploy} prints, created through the fabric8 client in a CRUD mock API
 * server and read back: each object goes to its API group, namespace and name, and comes back as
 * it was written.
 */
class AddonOnMockApiServerTest {
  private final MockApiServer server = MockApiServer.start();
  private final KubernetesClient client = server.client();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void createsEveryObjectWhereTheClusterWouldKeepIt() {
    Addon addon = DeployScript.dryRun(Map.of(), "--dns-server-ip", "10.96.0.10", "--dns-replicas", "3");

    for (HasMetadata object : addon.objects()) {
      client.resource(object).create();
    }

    ReplicationController rc = client.replicationControllers().inNamespace("kube-system").withName("kube-dns").get();
    assertThat(rc.getSpec()).isEqualTo(addon.replicationController().getSpec());
    assertThat(rc.getSpec().getReplicas()).isEqualTo(3);
    Service service = client.services().inNamespace("kube-system").withName("kube-dns").get();
    assertThat(service.getSpec()).isEqualTo(addon.service().getSpec());
    assertThat(service.getSpec().getClusterIP()).isEqualTo("10.96.0.10");
    ServiceAccount account = client.serviceAccounts().inNamespace("kube-system").withName("kube-dns").get();
    assertThat(account).isNotNull();
    ClusterRole role = client.rbac().clusterRoles().withName("kube2sky").get();
    assertThat(role.getRules()).isEqualTo(addon.clusterRole().getRules());
    ClusterRoleBinding binding = client.rbac().clusterRoleBindings().withName("kube2sky").get();
    assertThat(binding.getSubjects()).isEqualTo(addon.clusterRoleBinding().getSubjects());
  }

  @Test
  void selectsThePodsByTheLabelTheServiceUses() {
    Addon addon = DeployScript.dryRun(Map.of());
    client.resource(addon.replicationController()).create();

    assertThat(client.replicationControllers().inNamespace("kube-system")
        .withLabels(addon.service().getSpec().getSelector()).list().getItems())
        .extracting(rc -> rc.getMetadata().getName())
        .containsExactly("kube-dns");
  }
}
