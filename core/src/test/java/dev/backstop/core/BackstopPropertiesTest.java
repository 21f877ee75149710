package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BackstopPropertiesTest {

  @Test
  void splitsBackstopAndKafkaKeysAndIgnoresOthers() {
    Properties p =
        props(
            "backstop.outbox.batch-size", "10",
            "kafka.bootstrap.servers", "localhost:9092",
            "kafka.acks", "all",
            "app.name", "orders");

    BackstopProperties bp = BackstopProperties.from(p, Map.of());

    assertThat(bp.backstop()).containsExactly(Map.entry("backstop.outbox.batch-size", "10"));
    assertThat(bp.kafka())
        .containsExactly(
            Map.entry("acks", "all"), Map.entry("bootstrap.servers", "localhost:9092"));
  }

  @Test
  void substitutesEnvironmentVariablesWithAndWithoutDefaults() {
    Properties p =
        props(
            "kafka.bootstrap.servers", "${KAFKA_HOST}:${KAFKA_PORT:9092}",
            "backstop.outbox.table", "${TABLE:backstop_outbox}",
            "backstop.outbox.schema", "${SCHEMA:}",
            "backstop.outbox.url", "jdbc:postgresql://${DB}/x");

    BackstopProperties bp =
        BackstopProperties.from(p, Map.of("KAFKA_HOST", "broker1", "DB", "db:5432", "TABLE", "t"));

    assertThat(bp.kafka()).containsEntry("bootstrap.servers", "broker1:9092");
    assertThat(bp.backstop())
        .containsEntry("backstop.outbox.table", "t")
        .containsEntry("backstop.outbox.schema", "")
        .containsEntry("backstop.outbox.url", "jdbc:postgresql://db:5432/x");
  }

  @Test
  void leavesPlainDollarSignsAlone() {
    Properties p = props("backstop.a", "price $5 ${X}${Y:2} {z}");

    assertThat(BackstopProperties.from(p, Map.of("X", "1")).backstop())
        .containsEntry("backstop.a", "price $5 12 {z}");
  }

  @Test
  void substitutedValueIsNotSubstitutedAgain() {
    Properties p = props("backstop.a", "${A}");

    assertThat(BackstopProperties.from(p, Map.of("A", "${B}", "B", "no")).backstop())
        .containsEntry("backstop.a", "${B}");
  }

  @Test
  void reportsEveryUnresolvedVariableInOneException() {
    Properties p =
        props(
            "backstop.outbox.url", "${DB_URL}",
            "kafka.bootstrap.servers", "${BROKERS}",
            "backstop.outbox.table", "${}",
            "backstop.outbox.schema", "${SCHEMA",
            "other.ignored", "${IGNORED}");

    assertThatThrownBy(() -> BackstopProperties.from(p, Map.of()))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .containsExactly(
                        "Invalid value ${SCHEMA for backstop.outbox.schema: unclosed ${ (write ${NAME}"
                            + " or ${NAME:default})",
                        "Invalid value ${} for backstop.outbox.table: empty variable name in ${}",
                        "Invalid value ${DB_URL} for backstop.outbox.url: environment variable DB_URL"
                            + " is not set (write ${DB_URL:default} to give a default)",
                        "Invalid value ${BROKERS} for kafka.bootstrap.servers: environment variable"
                            + " BROKERS is not set (write ${BROKERS:default} to give a default)"));
  }

  @Test
  void missingFileIsAConfigExceptionNamingThePath() {
    Path missing = Path.of("/nonexistent-backstop-dir/app.properties");

    assertThatThrownBy(() -> BackstopProperties.load(missing, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot read configuration file /nonexistent-backstop-dir/app.properties: file not found");
  }

  @Test
  void processEnvironmentOverloadsWork() {
    Properties p = props("backstop.a", "${BACKSTOP_SURELY_UNSET_VARIABLE:d}");

    assertThat(BackstopProperties.from(p).backstop()).containsEntry("backstop.a", "d");
  }

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }
}
