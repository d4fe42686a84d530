package org.clusterdns.process.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoSyntaxTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1", "t", "T", "TRUE", "true", "True"})
  void goTrueForms(String text) {
    assertThat(GoSyntax.parseBool(text)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0", "f", "F", "FALSE", "false", "False"})
  void goFalseForms(String text) {
    assertThat(GoSyntax.parseBool(text)).isFalse();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "yes", "no", "tRUE", "on", " true", "2"})
  void otherBooleanTextIsRefused(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> GoSyntax.parseBool(text))
        .withMessage("not a boolean (true, false, 1, 0, t, f)");
  }

  @ParameterizedTest(name = "{0} = {1} ns")
  @CsvSource({
      "0, 0",
      "2s, 2000000000",
      "1.5s, 1500000000",
      "500ms, 500000000",
      "5m, 300000000000",
      "1m30s, 90000000000",
      "1h30m, 5400000000000",
      "1.5h, 5400000000000",
      "2h45m, 9900000000000",
      "300us, 300000",
      "300\u00b5s, 300000",
      "300\u03bcs, 300000",
      "7ns, 7",
      ".5s, 500000000",
      "1.s, 1000000000",
      "+3s, 3000000000",
      "-3s, -3000000000",
      "1.0000000009s, 1000000000",
      "2562047h47m16.854775807s, 9223372036854775807",
  })
  void goDurations(String text, long nanos) {
    assertThat(GoSyntax.parseDuration(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "2", "s", "s5", "1.2.3s", "3x", "1d", ".s", "-", "2 s", "1h 30m", "1s2"})
  void otherDurationTextIsRefused(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> GoSyntax.parseDuration(text))
        .withMessageStartingWith("not a duration");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"2562047h47m16.854775808s", "99999999999999999999h"})
  void durationsBeyondGoRangeAreRefused(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> GoSyntax.parseDuration(text))
        .withMessage("duration out of range");
  }
}
