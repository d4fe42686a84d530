package org.clusterdns.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ReplicationController as {@code scripts/deploy} renders it: where it lives, its labels and
 * replicas, the pod's identity, DNS policy and security, and each container's image, resources,
 * ports, probes and volumes. The containers' flags are checked against the processes in
 * {@link ContainerArgsTest}.
 */
class ReplicationControllerTest {
  private static final Map<String, String> LABELS = Map.of("k8s-app", "kube-dns", "kubernetes.io/cluster-service", "true");
  private static final List<String> CONTAINERS = List.of("etcd", "kube2sky", "skydns");
  private static final long NON_ROOT = 65532;

  // Rendered once: the tests only read it.
  private static final Addon ADDON = DeployScript.dryRun(Map.of());
  private static final ReplicationController RC = ADDON.replicationController();
  private static final PodSpec POD = ADDON.pod();

  @Test
  void livesInKubeSystemWithTheAddonLabels() {
    assertThat(RC.getApiVersion()).isEqualTo("v1");
    assertThat(RC.getMetadata().getName()).isEqualTo("kube-dns");
    assertThat(RC.getMetadata().getNamespace()).isEqualTo("kube-system");
    assertThat(RC.getMetadata().getLabels()).isEqualTo(LABELS);
    assertThat(RC.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(LABELS);
  }

  @Test
  void selectsExactlyItsOwnPods() {
    assertThat(RC.getSpec().getSelector()).isEqualTo(Map.of("k8s-app", "kube-dns"));
    assertThat(RC.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(RC.getSpec().getSelector());
  }

  @Test
  void runsTheReplicasAsked() {
    assertThat(RC.getSpec().getReplicas()).isEqualTo(2);
    assertThat(DeployScript.dryRun(Map.of(), "--dns-replicas", "7").replicationController().getSpec().getReplicas())
        .isEqualTo(7);
  }

  @Test
  void usesTheNodesResolverAndItsOwnServiceAccount() {
    assertThat(POD.getDnsPolicy()).isEqualTo("Default");
    assertThat(POD.getServiceAccountName()).isEqualTo(ADDON.serviceAccount().getMetadata().getName());
    assertThat(POD.getPriorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(POD.getHostNetwork()).isNull();
  }

  @Test
  void runsEtcdKube2skyAndSkydns() {
    assertThat(POD.getContainers()).extracting(Container::getName).containsExactlyElementsOf(CONTAINERS);
    assertThat(POD.getInitContainers()).isEmpty();
  }

  @Test
  void pinsEveryImage() {
    assertThat(ADDON.container("etcd").getImage()).matches("gcr\\.io/etcd-development/etcd:v3\\.\\d+\\.\\d+");
    assertThat(ADDON.container("kube2sky").getImage()).isEqualTo("localhost/clusterdns/kube2sky:" + Repository.imageTag());
    assertThat(ADDON.container("skydns").getImage())
        .isEqualTo("localhost/clusterdns/skydns-server:" + Repository.imageTag());
    assertThat(POD.getContainers()).allSatisfy(container ->
        assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent"));
  }

  @Test
  void runsThePodAsNonRoot() {
    PodSecurityContext security = POD.getSecurityContext();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getRunAsUser()).isEqualTo(NON_ROOT);
    assertThat(security.getRunAsGroup()).isEqualTo(NON_ROOT);
    assertThat(security.getFsGroup()).isEqualTo(NON_ROOT);
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @ParameterizedTest
  @ValueSource(strings = {"etcd", "kube2sky", "skydns"})
  void locksEachContainerDown(String name) {
    SecurityContext security = ADDON.container(name).getSecurityContext();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getPrivileged()).isNull();
    assertThat(security.getRunAsUser()).as("the pod's user applies").isNull();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd())
        .isEqualTo(name.equals("skydns") ? List.of("NET_BIND_SERVICE") : List.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {"etcd", "kube2sky", "skydns"})
  void requestsMemoryAndCpuAndLimitsMemory(String name) {
    Map<String, Quantity> requests = ADDON.container(name).getResources().getRequests();
    Map<String, Quantity> limits = ADDON.container(name).getResources().getLimits();
    assertThat(requests).containsOnlyKeys("cpu", "memory");
    assertThat(limits).as("no CPU limit: throttling adds latency").containsOnlyKeys("memory");
    assertThat(bytes(limits.get("memory"))).isGreaterThanOrEqualTo(bytes(requests.get("memory")));
  }

  @Test
  void sizesMemoryFromTheMeasurements() {
    // Peak RSS at 10,000 Services (skydns-rc.yaml.in): skydns 183 MB, kube2sky 261 MB, etcd 56 MB.
    assertThat(bytes(limit("skydns"))).isEqualTo(256L << 20).isGreaterThan(183_000_000L);
    assertThat(bytes(limit("kube2sky"))).isEqualTo(512L << 20).isGreaterThan(261_000_000L);
    assertThat(bytes(limit("etcd"))).isEqualTo(256L << 20).isGreaterThan(56_000_000L);
    assertThat(ADDON.container("etcd").getEnv()).singleElement()
        .satisfies(env -> assertThat(env.getName() + "=" + env.getValue()).isEqualTo("GOMEMLIMIT=200MiB"));
  }

  @Test
  void servesDnsOnPort53OverUdpAndTcp() {
    assertThat(ADDON.container("skydns").getPorts())
        .extracting(ContainerPort::getName, ContainerPort::getContainerPort, ContainerPort::getProtocol)
        .containsExactly(
            tuple("dns", 53, "UDP"),
            tuple("dns-tcp", 53, "TCP"),
            tuple("skydns-http", 8081, "TCP"));
    assertThat(ADDON.container("kube2sky").getPorts())
        .extracting(ContainerPort::getName, ContainerPort::getContainerPort, ContainerPort::getProtocol)
        .containsExactly(tuple("kube2sky-http", 8082, "TCP"));
    assertThat(ADDON.container("etcd").getPorts()).as("etcd is reachable from inside the pod only").isEmpty();
  }

  @Test
  void probesLivenessOnHealthzAndReadinessOnReadyz() {
    for (String name : List.of("kube2sky", "skydns")) {
      Container container = ADDON.container(name);
      int port = container.getPorts().stream().filter(p -> p.getName().endsWith("-http")).findFirst().orElseThrow()
          .getContainerPort();
      assertHttpProbe(container.getLivenessProbe(), "/healthz", port);
      assertHttpProbe(container.getReadinessProbe(), "/readyz", port);
      assertThat(container.getStartupProbe()).isNull();
    }
  }

  @Test
  void keepsAPodOutOfServiceUntilKube2skyHasSynced() {
    // Readiness of the pod = every container ready: kube2sky's /readyz holds it back until its
    // first full sync, and two failures in a row (5 s apart) take it out, not a sub-second repair.
    Probe readiness = ADDON.container("kube2sky").getReadinessProbe();
    assertThat(readiness.getPeriodSeconds()).isEqualTo(5);
    assertThat(readiness.getFailureThreshold()).isEqualTo(2);
    assertThat(ADDON.container("skydns").getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
  }

  @Test
  void checksEtcdFromInsideThePod() {
    Container etcd = ADDON.container("etcd");
    assertThat(etcd.getReadinessProbe()).isNull();
    assertThat(etcd.getLivenessProbe().getExec().getCommand()).containsExactly(
        "/usr/local/bin/etcdctl", "--endpoints=http://127.0.0.1:2379", "--command-timeout=3s", "endpoint", "health");
    assertThat(etcd.getLivenessProbe().getTimeoutSeconds()).isGreaterThan(3);
  }

  @Test
  void keepsEtcdDataOnAnEmptyDirAndGivesTheJvmsAWritableTmp() {
    assertThat(mounts("etcd")).containsExactly("etcd-data=/var/lib/etcd");
    assertThat(mounts("kube2sky")).containsExactly("kube2sky-tmp=/tmp");
    assertThat(mounts("skydns")).containsExactly("skydns-tmp=/tmp");
    assertThat(POD.getVolumes()).extracting(Volume::getName)
        .containsExactlyInAnyOrder("etcd-data", "kube2sky-tmp", "skydns-tmp");
    assertThat(POD.getVolumes()).allSatisfy(volume -> {
      assertThat(volume.getEmptyDir()).as(volume.getName()).isNotNull();
      assertThat(volume.getEmptyDir().getMedium()).as("disk, not memory counted against the limits").isNull();
      assertThat(volume.getEmptyDir().getSizeLimit()).isNotNull();
    });
    assertThat(ADDON.container("etcd").getArgs()).contains("--data-dir=/var/lib/etcd/data");
  }

  private static void assertHttpProbe(Probe probe, String path, int port) {
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getIntVal()).isEqualTo(port);
    assertThat(probe.getHttpGet().getHost()).as("the pod IP").isNull();
    assertThat(probe.getTimeoutSeconds()).as("room for a GC pause").isGreaterThanOrEqualTo(2);
  }

  private List<String> mounts(String container) {
    return ADDON.container(container).getVolumeMounts().stream()
        .map(mount -> mount.getName() + "=" + mount.getMountPath())
        .toList();
  }

  private Quantity limit(String container) {
    return ADDON.container(container).getResources().getLimits().get("memory");
  }

  private static long bytes(Quantity quantity) {
    return Quantity.getAmountInBytes(quantity).longValueExact();
  }
}
