package dev.backstop.reliability;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.ConfigException;
import dev.backstop.outbox.OutboxConfig;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A configuration error names the key and the value; a hostile 100,000-character value is shortened
 * in the message, not echoed whole into the log. Found by the bad-input corpus (core quoted the
 * value in full, a 100 KB error line); kept as a regression test.
 */
class HugeConfigValueIT {

  @Test
  void errorForAHugeValueStaysReadable() {
    Properties properties = new Properties();
    properties.setProperty("backstop.outbox.batch-size", "9".repeat(100_000));
    properties.setProperty("kafka.bootstrap.servers", "localhost:9092");

    assertThatThrownBy(() -> OutboxConfig.from(properties))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("backstop.outbox.batch-size")
        .satisfies(
            e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).hasSizeLessThan(2_000));
  }
}
