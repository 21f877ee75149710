package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "250ms,PT0.25S",
    "1s,PT1S",
    "30s,PT30S",
    "10m,PT10M",
    "2h,PT2H",
    "1d,PT24H",
    "0s,PT0S"
  })
  void parsesEveryUnit(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "  ",
        "1",
        "s",
        "1.5s",
        "-1s",
        "1 s",
        "1sec",
        "10M",
        "1w",
        "99999999999999999d"
      })
  void rejectsMalformedDurationNamingTheValue(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid duration '" + text + "': " + Durations.RULE);
  }

  @org.junit.jupiter.api.Test
  void rejectsNull() {
    assertThatThrownBy(() -> Durations.parse(null)).hasMessageContaining("'null'");
  }

  @ParameterizedTest
  @CsvSource({
    "PT1S,1s",
    "PT30S,30s",
    "PT10M,10m",
    "PT1.5S,1500ms",
    "PT2H,2h",
    "PT48H,2d",
    "PT0S,0s",
    "PT90M,90m"
  })
  void formatsShortestExactForm(String iso, String text) {
    assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT-1S", "PT0.0005S"})
  void refusesToFormatNegativeOrSubMillisecond(String iso) {
    assertThatThrownBy(() -> Durations.format(Duration.parse(iso)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(iso);
  }
}
