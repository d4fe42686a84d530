package org.clusterdns.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clusterdns.deploy.Dockerfile.Instruction;
import org.clusterdns.deploy.Dockerfile.Stage;
import org.clusterdns.kube2sky.config.Kube2SkyConfigLoader;
import org.clusterdns.skydns.config.ServerConfig;
import org.clusterdns.skydns.config.ServerConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two Dockerfiles, checked without Docker: a Maven build stage and a JRE runtime stage, a
 * non-root user that is the pod's, the ports the processes listen on, the entrypoint and the
 * container-aware JVM options; and the {@code .dockerignore}. hadolint runs where it is
 * installed (Debian does not package it).
 */
class DockerfileTest {
  private static final Pattern BUILD_COMMENT = Pattern.compile("docker build -f (\\S+) -t (\\S+) \\.");
  private static final String JAVA = "/opt/java/openjdk/bin/java"; // $JAVA_HOME/bin/java in eclipse-temurin

  // Rendered once: the tests only read it.
  private static final Addon ADDON = DeployScript.dryRun(Map.of());

  @ParameterizedTest(name = "{0}")
  @CsvSource({"Dockerfile.kube2sky, kube2sky, kube2sky.jar", "Dockerfile.skydns, skydns-server, skydns-server.jar"})
  void buildsTheModuleWithMavenInAStageOfItsOwn(String file, String module, String jar) {
    Dockerfile dockerfile = Dockerfile.read(Repository.root().resolve(file));

    assertThat(dockerfile.directives()).as("RUN --mount needs BuildKit's syntax").contains("syntax=docker/dockerfile:1");
    assertThat(dockerfile.stages()).hasSize(2);
    Stage build = dockerfile.stages().get(0);
    assertThat(build.image()).isEqualTo("maven:3.9-eclipse-temurin-17");
    assertThat(build.name()).contains("build");
    assertThat(build.last("RUN").arguments())
        .contains("--mount=type=cache,target=/root/.m2", "mvn ", "-pl " + module + " -am", "-DskipTests", "package");
    assertThat(dockerfile.runtime().all("COPY")).extracting(Instruction::arguments).containsExactly(
        "--from=build /src/" + module + "/target/" + jar + " /app/" + jar,
        "--from=build /src/" + module + "/target/lib/ /app/lib/");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"Dockerfile.kube2sky, kube2sky.jar", "Dockerfile.skydns, skydns-server.jar"})
  void runsTheJarOnAJreAsThePodsNonRootUser(String file, String jar) {
    Stage runtime = Dockerfile.read(Repository.root().resolve(file)).runtime();

    assertThat(runtime.image()).isEqualTo("eclipse-temurin:17-jre-noble");
    assertThat(runtime.name()).isEmpty();
    PodSecurityContext pod = ADDON.pod().getSecurityContext();
    assertThat(runtime.last("USER").arguments()).isEqualTo(pod.getRunAsUser() + ":" + pod.getRunAsGroup());
    List<String> keywords = runtime.instructions().stream().map(Instruction::keyword).toList();
    assertThat(keywords.lastIndexOf("USER")).as("USER after every RUN").isGreaterThan(keywords.lastIndexOf("RUN"));
    assertThat(runtime.last("ENTRYPOINT").execForm()).containsExactly(JAVA, "-jar", "/app/" + jar);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"Dockerfile.kube2sky", "Dockerfile.skydns"})
  void sizesTheJvmByTheContainersMemoryLimit(String file) {
    Instruction env = Dockerfile.read(Repository.root().resolve(file)).runtime().last("ENV");

    assertThat(env.arguments()).startsWith("JDK_JAVA_OPTIONS=\"").endsWith("\"");
    List<String> options = List.of(env.arguments().substring("JDK_JAVA_OPTIONS=\"".length(),
        env.arguments().length() - 1).split(" "));
    assertThat(options).contains("-XX:MaxRAMPercentage=50", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
    if (file.equals("Dockerfile.kube2sky")) {
      // The flags scripts/bench kube2sky measured 100,000 Services with (README, Performance).
      assertThat(options).contains("-XX:InitialRAMPercentage=50", "-XX:TieredStopAtLevel=1");
    } else {
      assertThat(options).as("the DNS hot path needs the optimising compiler").doesNotContain("-XX:TieredStopAtLevel=1");
    }
  }

  @Test
  void skydnsExposesWhatItsDefaultArgumentsServe(@TempDir Path scratch) throws IOException {
    Stage runtime = Dockerfile.read(Repository.root().resolve("Dockerfile.skydns")).runtime();
    Path resolvConf = Files.writeString(scratch.resolve("resolv.conf"), "nameserver 192.0.2.53\n");
    ServerConfigLoader loader = new ServerConfigLoader(Map.of(), resolvConf);

    ServerConfigLoader.Result result = loader.parse(runtime.last("CMD").execForm().toArray(String[]::new));
    ServerConfig config = loader.complete(((ServerConfigLoader.Start) result).bootstrap(), Optional.empty());

    assertThat(config.listen().address()).isEqualTo(new InetSocketAddress("0.0.0.0", 53));
    InetSocketAddress health = config.metrics().healthAddress().orElseThrow();
    assertThat(health.getAddress().isAnyLocalAddress()).isTrue();
    assertThat(runtime.last("EXPOSE").arguments().split(" "))
        .containsExactlyInAnyOrder("53/udp", "53/tcp", health.getPort() + "/tcp");
  }

  @Test
  void kube2skyExposesItsDefaultHealthPort() {
    Stage runtime = Dockerfile.read(Repository.root().resolve("Dockerfile.kube2sky")).runtime();
    Kube2SkyConfigLoader.Result defaults = new Kube2SkyConfigLoader(Map.of()).parse();

    assertThat(runtime.all("CMD")).isEmpty();
    int port = ((Kube2SkyConfigLoader.Start) defaults).config().healthzAddress().getPort();
    assertThat(runtime.last("EXPOSE").arguments()).isEqualTo(port + "/tcp");
  }

  @Test
  void skydnsMayBindPort53WithTheOneCapabilityThePodAdds() {
    Stage runtime = Dockerfile.read(Repository.root().resolve("Dockerfile.skydns")).runtime();

    assertThat(runtime.all("RUN")).singleElement().satisfies(run -> assertThat(run.arguments())
        .contains("setcap cap_net_bind_service=+ep \"$JAVA_HOME/bin/java\"")
        .contains("echo \"$JAVA_HOME/lib\" > /etc/ld.so.conf.d/java.conf", "ldconfig")
        .contains("rm -rf /var/lib/apt/lists/*"));
    assertThat(ADDON.container("skydns").getSecurityContext().getCapabilities().getAdd())
        .containsExactly("NET_BIND_SERVICE");
    assertThat(Dockerfile.read(Repository.root().resolve("Dockerfile.kube2sky")).runtime().all("RUN"))
        .as("kube2sky binds no low port").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"Dockerfile.kube2sky, kube2sky", "Dockerfile.skydns, skydns"})
  void buildsTheImageThePodRuns(String file, String container) throws IOException {
    Matcher command = BUILD_COMMENT.matcher(Files.readString(Repository.root().resolve(file)));

    assertThat(command.find()).as("the build command in the header comment").isTrue();
    assertThat(command.group(1)).isEqualTo(file);
    assertThat(command.group(2)).isEqualTo(ADDON.container(container).getImage());
  }

  @Test
  void theBuildContextLeavesOutBuildOutputAndHistory() throws IOException {
    List<String> ignored = Files.readAllLines(Repository.root().resolve(".dockerignore")).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();

    assertThat(ignored).contains("**/target/", ".git/");
    assertThat(ignored).noneMatch(line -> line.contains("pom.xml") || line.contains("src"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"Dockerfile.kube2sky", "Dockerfile.skydns"})
  void passesHadolint(String file) throws Exception {
    Process which = new ProcessBuilder("sh", "-c", "command -v hadolint").start();
    assumeTrue(which.waitFor(10, TimeUnit.SECONDS) && which.exitValue() == 0,
        "hadolint is not installed (Debian does not package it)");

    Process hadolint = new ProcessBuilder("hadolint", file).directory(Repository.root().toFile())
        .redirectErrorStream(true).start();
    String output = new String(hadolint.getInputStream().readAllBytes());
    assertThat(hadolint.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(hadolint.exitValue()).as(output).isZero();
  }
}
