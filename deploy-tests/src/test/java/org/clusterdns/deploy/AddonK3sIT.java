package org.clusterdns.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The addon in a real cluster: both images built from the Dockerfiles, loaded into k3s (started
 * without its own CoreDNS, whose Service would take kube-dns and 10.43.0.10), the manifests of
 * {@code scripts/deploy --dry-run} created, and a pod resolving the API server's Service through
 * the kubelet's cluster DNS. Skipped where Docker is absent; needs the docker CLI (BuildKit) to
 * build the images, and the network for the base images, etcd's and busybox.
 */
@Testcontainers(disabledWithoutDocker = true)
class AddonK3sIT {
  private static final DockerImageName K3S_IMAGE = DockerImageName.parse("rancher/k3s:v1.31.4-k3s1");
  private static final String CLUSTER_DNS = "10.43.0.10"; // k3s's --cluster-dns default
  private static final String NAMESPACE = "kube-system";

  @Test
  void aPodResolvesTheClusterServicesThroughTheAddon(@TempDir Path scratch) throws Exception {
    assumeTrue(onPath("docker"), "the docker CLI builds the images");
    Addon addon = DeployScript.dryRun(Map.of(), "--dns-server-ip", CLUSTER_DNS, "--dns-replicas", "1");
    List<Path> archives = List.of(
        build("Dockerfile.kube2sky", addon.container("kube2sky").getImage(), scratch),
        build("Dockerfile.skydns", addon.container("skydns").getImage(), scratch));

    // The container is made in the test, not in a static field: K3sContainer's constructor asks
    // Docker for its host, which would fail the class where disabledWithoutDocker should skip it.
    try (K3sContainer k3s = new K3sContainer(K3S_IMAGE)) {
      List<String> command = new ArrayList<>(List.of(k3s.getCommandParts()));
      command.add("--disable=coredns");
      k3s.setCommand(command.toArray(String[]::new));
      k3s.start();
      for (Path archive : archives) {
        load(k3s, archive);
      }
      try (KubernetesClient client = new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
          .withHttpClientFactory(new JdkHttpClientFactory())
          .build()) {
        for (HasMetadata object : addon.objects()) {
          client.resource(object).create();
        }
        await("the DNS pod ready").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
            .until(() -> readyReplicas(client) == 1);

        String apiServer = client.services().inNamespace("default").withName("kubernetes").get()
            .getSpec().getClusterIP();
        client.resource(lookup("kubernetes.default.svc.cluster.local.")).create();
        await("the lookup pod done").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
            .until(() -> Set.of("Succeeded", "Failed").contains(phase(client)));
        String log = client.pods().inNamespace("default").withName("lookup").getLog();
        assertThat(phase(client)).as(log).isEqualTo("Succeeded");
        assertThat(log).contains(apiServer);
      }
    }
  }

  private static int readyReplicas(KubernetesClient client) {
    ReplicationController rc = client.replicationControllers().inNamespace(NAMESPACE).withName("kube-dns").get();
    Integer ready = rc.getStatus() == null ? null : rc.getStatus().getReadyReplicas();
    return ready == null ? 0 : ready;
  }

  private static String phase(KubernetesClient client) {
    Pod pod = client.pods().inNamespace("default").withName("lookup").get();
    return pod.getStatus() == null ? "" : String.valueOf(pod.getStatus().getPhase());
  }

  /** A pod that looks {@code name} up once with the resolver the kubelet gave it (ClusterFirst). */
  private static Pod lookup(String name) {
    return new PodBuilder()
        .withNewMetadata().withName("lookup").withNamespace("default").endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("nslookup")
        .withImage("busybox:1.36")
        .withCommand("nslookup", name)
        .endContainer()
        .endSpec()
        .build();
  }

  /** Builds {@code dockerfile} as {@code image} with the docker CLI and saves it to an archive. */
  private static Path build(String dockerfile, String image, Path scratch) throws IOException, InterruptedException {
    Path archive = scratch.resolve(dockerfile + ".tar");
    run(scratch, "docker", "build", "-f", dockerfile, "-t", image, ".");
    run(scratch, "docker", "save", "-o", archive.toString(), image);
    return archive;
  }

  /** Imports an image archive into k3s's containerd, where the kubelet finds it (IfNotPresent). */
  private static void load(K3sContainer k3s, Path archive) throws IOException, InterruptedException {
    String inside = "/tmp/" + archive.getFileName();
    k3s.copyFileToContainer(MountableFile.forHostPath(archive), inside);
    ExecResult result = k3s.execInContainer("k3s", "ctr", "images", "import", inside);
    assertThat(result.getExitCode()).as(result.getStderr()).isZero();
  }

  private static void run(Path scratch, String... command) throws IOException, InterruptedException {
    Path output = Files.createTempFile(scratch, "command", ".log");
    Process process = new ProcessBuilder(command).directory(Repository.root().toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    boolean done = process.waitFor(30, TimeUnit.MINUTES);
    if (!done) {
      process.destroyForcibly();
    }
    assertThat(done && process.exitValue() == 0).as(String.join(" ", command) + ":\n" + Files.readString(output))
        .isTrue();
  }

  private static boolean onPath(String program) throws IOException, InterruptedException {
    Process which = new ProcessBuilder("sh", "-c", "command -v " + program).start();
    return which.waitFor(10, TimeUnit.SECONDS) && which.exitValue() == 0;
  }
}
