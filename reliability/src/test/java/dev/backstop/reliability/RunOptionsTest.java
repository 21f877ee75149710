package dev.backstop.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.ConfigException;
import org.junit.jupiter.api.Test;

class RunOptionsTest {

  @Test
  void parsesWhatItPrints() {
    RunOptions options =
        RunOptions.parse("--messages", "100000", "--seed", "7", "--fault-rounds", "10");
    assertThat(options.messages()).isEqualTo(100_000);
    assertThat(options.seed()).isEqualTo(7);
    assertThat(RunOptions.parse(options.toArgs().split(" "))).isEqualTo(options);
  }

  @Test
  void reportsEveryBadArgumentInOneException() {
    assertThatThrownBy(
            () ->
                RunOptions.parse(
                    "--messages", "-1", "--write-rate", "fast", "--bogus", "1", "--keys"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Invalid value -1 for --messages: must be between 1 and 10000000")
        .hasMessageContaining("Invalid value fast for --write-rate: must be a whole number")
        .hasMessageContaining("Unknown option --bogus")
        .hasMessageContaining("Missing value for --keys");
  }

  @Test
  void rejectsRatesOutsideTheirRange() {
    assertThatThrownBy(() -> RunOptions.parse("--poison-rate", "NaN", "--failure-rate", "0.9"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--poison-rate")
        .hasMessageContaining("Invalid value 0.9 for --failure-rate: must be between 0 and 0.5");
  }

  @Test
  void shortensHugeValuesInItsMessages() {
    assertThatThrownBy(() -> RunOptions.parse("--messages", "x".repeat(100_000)))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }
}
