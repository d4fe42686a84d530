package org.clusterdns.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's install-by-hand block (the 2014 addon's sed pipeline), run as written with a
 * kubectl that prints what it would create, installs exactly what {@code scripts/deploy} does.
 */
class ReadmePipelineTest {
  private static final Pattern BLOCK = Pattern.compile("```sh\n(DNS_SERVER_IP=.*?)```", Pattern.DOTALL);
  // Prints each object it would create or apply as one YAML document.
  private static final String PRINTING_KUBECTL = """
      kubectl() {
        case "$1 $2" in
          "create -f") echo ---; cat ;;
          "apply -f") for file in "$3"*.yaml; do echo ---; cat "$file"; done ;;
          *) echo "unexpected kubectl $*" >&2; return 1 ;;
        esac
      }
      set -euo pipefail
      """;

  @Test
  void theSedPipelineInstallsWhatScriptsDeployDoes() throws IOException, InterruptedException {
    Matcher block = BLOCK.matcher(Files.readString(Repository.root().resolve("README.md")));
    assertThat(block.find()).as("the README's block starting DNS_SERVER_IP=").isTrue();

    Process bash = new ProcessBuilder("bash", "-c", PRINTING_KUBECTL + block.group(1))
        .directory(Repository.root().toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String printed = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).isZero();

    List<?> byHand = Addon.of(StrictManifests.parse(printed)).objects();
    assertThat(byHand).isEqualTo(DeployScript.dryRun(Map.of()).objects());
  }
}
