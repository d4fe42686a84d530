package org.clusterdns.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code scripts/deploy}: its three variables from options or the environment, the checks on
 * each, {@code --dry-run}, and what it hands to kubectl.
 */
class DeployScriptTest {

  @Test
  void substitutesTheDefaults() {
    Addon addon = DeployScript.dryRun(Map.of());

    assertThat(addon.service().getSpec().getClusterIP()).isEqualTo("10.0.0.10");
    assertThat(addon.replicationController().getSpec().getReplicas()).isEqualTo(2);
    assertThat(addon.container("kube2sky").getArgs()).contains("--domain=cluster.local");
    assertThat(addon.container("skydns").getArgs()).contains("-domain=cluster.local.");
  }

  @Test
  void takesTheOptions() {
    Addon addon = DeployScript.dryRun(Map.of(),
        "--dns-server-ip", "10.96.0.53", "--dns-domain", "k8s.example.org", "--dns-replicas=3");

    assertThat(addon.service().getSpec().getClusterIP()).isEqualTo("10.96.0.53");
    assertThat(addon.replicationController().getSpec().getReplicas()).isEqualTo(3);
    assertThat(addon.container("kube2sky").getArgs()).contains("--domain=k8s.example.org");
    assertThat(addon.container("skydns").getArgs()).contains("-domain=k8s.example.org.");
  }

  @Test
  void takesTheVariablesOfThe2014Readme() {
    Addon addon = DeployScript.dryRun(
        Map.of("DNS_SERVER_IP", "fd00:10:96::a", "DNS_DOMAIN", "kubernetes.local", "DNS_REPLICAS", "1"));

    assertThat(addon.service().getSpec().getClusterIP()).isEqualTo("fd00:10:96::a");
    assertThat(addon.replicationController().getSpec().getReplicas()).isEqualTo(1);
    assertThat(addon.container("kube2sky").getArgs()).contains("--domain=kubernetes.local");
  }

  @Test
  void anOptionWinsOverTheVariable() {
    Addon addon = DeployScript.dryRun(Map.of("DNS_REPLICAS", "5"), "--dns-replicas", "4");

    assertThat(addon.replicationController().getSpec().getReplicas()).isEqualTo(4);
  }

  @Test
  void normalisesTheDomainAsKube2skyDoes() {
    Addon addon = DeployScript.dryRun(Map.of(), "--dns-domain", "Cluster.Local.");

    assertThat(addon.container("kube2sky").getArgs()).contains("--domain=cluster.local");
    assertThat(addon.container("skydns").getArgs()).contains("-domain=cluster.local.");
  }

  @ParameterizedTest(name = "{0} ''{1}''")
  @CsvSource(delimiter = '|', value = {
      "--dns-server-ip | 10.0.0.256     | DNS_SERVER_IP",
      "--dns-server-ip | 10.0.0         | DNS_SERVER_IP",
      "--dns-server-ip | 010.0.0.10     | DNS_SERVER_IP",
      "--dns-server-ip | 10.0.0.10/32   | DNS_SERVER_IP",
      "--dns-server-ip | dns.local      | DNS_SERVER_IP",
      "--dns-server-ip | fd00::1::2     | DNS_SERVER_IP",
      "--dns-server-ip | 1:2:3:4:5:6:7:8:9 | DNS_SERVER_IP",
      "--dns-server-ip | ''             | DNS_SERVER_IP",
      "--dns-domain    | a..b           | DNS_DOMAIN",
      "--dns-domain    | -cluster.local | DNS_DOMAIN",
      "--dns-domain    | cluster_local  | DNS_DOMAIN",
      "--dns-domain    | cluster/local  | DNS_DOMAIN",
      "--dns-domain    | '*.local'      | DNS_DOMAIN",
      "--dns-domain    | 'a b'          | DNS_DOMAIN",
      "--dns-domain    | .              | DNS_DOMAIN",
      "--dns-domain    | ''             | DNS_DOMAIN",
      "--dns-domain    | any.example    | DNS_DOMAIN",
      "--dns-domain    | cluster.ANY    | DNS_DOMAIN",
      "--dns-replicas  | 0              | DNS_REPLICAS",
      "--dns-replicas  | -1             | DNS_REPLICAS",
      "--dns-replicas  | two            | DNS_REPLICAS",
      "--dns-replicas  | 1.5            | DNS_REPLICAS",
      "--dns-replicas  | 010            | DNS_REPLICAS",
      "--dns-replicas  | 2147483648     | DNS_REPLICAS",
      "--dns-replicas  | ''             | DNS_REPLICAS",
  })
  void refusesAnInvalidValueAndPrintsNothing(String option, String value, String variable) {
    DeployScript.Result result = DeployScript.run(Map.of(), "--dry-run", option, value);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stdout()).isEmpty();
    assertThat(result.stderr()).contains(variable, option, "'" + value + "'").hasLineCount(1);
  }

  @Test
  void refusesAnInvalidVariableToo() {
    DeployScript.Result result = DeployScript.run(Map.of("DNS_SERVER_IP", "10.0.0.1000"), "--dry-run");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("DNS_SERVER_IP", "'10.0.0.1000'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"--dns-domain", "--dry-run --bogus", "cluster.local"})
  void refusesAMissingValueOrAnUnknownArgument(String arguments) {
    DeployScript.Result result = DeployScript.run(Map.of(), arguments.split(" "));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stdout()).isEmpty();
    assertThat(result.stderr()).contains("see --help");
  }

  @Test
  void explainsItselfWithHelp() {
    DeployScript.Result result = DeployScript.run(Map.of(), "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).contains("--dry-run", "DNS_SERVER_IP", "DNS_DOMAIN", "DNS_REPLICAS", "KUBECTL");
  }

  @Test
  void appliesWhatTheDryRunPrints(@TempDir Path scratch) throws IOException {
    Path kubectl = fakeKubectl(scratch, 0);

    DeployScript.Result result = DeployScript.run(Map.of("KUBECTL", kubectl.toString()), "--dns-replicas", "3");

    assertThat(result.exitCode()).isZero();
    assertThat(Files.readString(scratch.resolve("args"))).isEqualTo("apply -f -\n");
    String applied = Files.readString(scratch.resolve("stdin"));
    assertThat(applied).isEqualTo(DeployScript.run(Map.of(), "--dry-run", "--dns-replicas", "3").stdout());
  }

  @Test
  void endsAsKubectlEnds(@TempDir Path scratch) throws IOException {
    Path kubectl = fakeKubectl(scratch, 1);

    assertThat(DeployScript.run(Map.of("KUBECTL", kubectl.toString())).exitCode()).isEqualTo(1);
  }

  @Test
  void saysWhenKubectlIsMissing(@TempDir Path scratch) {
    DeployScript.Result result = DeployScript.run(Map.of("KUBECTL", scratch.resolve("kubectl").toString()));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("not found", "--dry-run");
  }

  /** This script and the others users run; scripts/test installs shellcheck, so this runs in CI. */
  @Test
  void theScriptsPassShellcheck() throws Exception {
    Process which = new ProcessBuilder("sh", "-c", "command -v shellcheck").start();
    assumeTrue(which.waitFor(10, TimeUnit.SECONDS) && which.exitValue() == 0, "shellcheck is not installed");

    Process shellcheck = new ProcessBuilder("shellcheck", "-x", "scripts/deploy", "scripts/run", "scripts/test",
        "scripts/bench", "scripts/lib.sh", ".ci/run")
        .directory(Repository.root().toFile()).redirectErrorStream(true).start();
    String output = new String(shellcheck.getInputStream().readAllBytes());
    assertThat(shellcheck.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(shellcheck.exitValue()).as(output).isZero();
  }

  /** Writes a kubectl that records its arguments and standard input in {@code folder}, then exits {@code code}. */
  private static Path fakeKubectl(Path folder, int code) throws IOException {
    Path kubectl = folder.resolve("kubectl");
    Files.writeString(kubectl, String.join("\n", List.of(
        "#!/bin/sh",
        "echo \"$*\" > '" + folder.resolve("args") + "'",
        "cat > '" + folder.resolve("stdin") + "'",
        "exit " + code,
        "")));
    Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwx------"));
    return kubectl;
  }
}
