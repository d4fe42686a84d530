package org.clusterdns.kube2sky.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoSyntaxTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({"0, 0", "5m, 300000000000", "1h30m, 5400000000000", "1.5s, 1500000000", "500ms, 500000000",
      "10us, 10000", "10\u00b5s, 10000", "7ns, 7", "+2s, 2000000000", "-2s, -2000000000", ".5s, 500000000"})
  void durations(String text, long nanos) {
    assertThat(GoSyntax.parseDuration(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"", "5", "m", "1d", "1.2.3s", "s5", ".s", "-", "1h 30m", "9999999999999h"})
  void notDurations(String text) {
    assertThatThrownBy(() -> GoSyntax.parseDuration(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1", "t", "T", "TRUE", "true", "True"})
  void trueValues(String text) {
    assertThat(GoSyntax.parseBool(text)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0", "f", "F", "FALSE", "false", "False"})
  void falseValues(String text) {
    assertThat(GoSyntax.parseBool(text)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"", "yes", "tRUE", "2"})
  void notBooleans(String text) {
    assertThatThrownBy(() -> GoSyntax.parseBool(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
