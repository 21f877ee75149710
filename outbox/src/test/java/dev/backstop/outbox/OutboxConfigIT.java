package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backstop.core.ConfigException;
import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.TestDatabase;
import java.io.StringReader;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Acceptance 7: configuration errors fail at start with one clear message naming key and rule. */
@BackstopDatabase
class OutboxConfigIT {

  @Test
  void reportsEveryProblemOfAPropertiesFileAtOnce() throws Exception {
    Properties properties = new Properties();
    properties.load(
        new StringReader(
            """
            backstop.outbox.table-prefix=orders; DROP TABLE users; --
            backstop.outbox.batch-size=0
            backstop.outbox.bach-size=10
            kafka.bootstrap.servers=localhost:9092
            """));
    ConfigException error =
        catchThrowableOfType(ConfigException.class, () -> OutboxConfig.fromProperties(properties));
    assertThat(error.problems())
        .containsExactlyInAnyOrder(
            "Invalid value orders; DROP TABLE users; -- for backstop.outbox.table-prefix: must be a"
                + " SQL identifier: a letter or _, then letters, digits or _ (at most 40)",
            "Invalid value 0 for backstop.outbox.batch-size: must be at least 1",
            "Unknown key backstop.outbox.bach-size: did you mean backstop.outbox.batch-size?");
  }

  @Test
  void refusesAPublishTimeoutLongerThanHalfTheLease() {
    ConfigException error =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                OutboxConfig.builder()
                    .set("backstop.outbox.lease-duration", "10s")
                    .set("backstop.outbox.publish-timeout", "30s")
                    .build());
    assertThat(error)
        .hasMessage(
            "Invalid value 30s for backstop.outbox.publish-timeout: must be at most half of"
                + " backstop.outbox.lease-duration=10s, so a relay's publication ends well within"
                + " its lease; lower the first or raise the second");
    assertThat(OutboxConfig.builder().build().get(OutboxConfig.PUBLISH_TIMEOUT).multipliedBy(2))
        .as("the defaults satisfy the rule")
        .isLessThanOrEqualTo(OutboxConfig.builder().build().leaseDuration());
  }

  @Test
  void refusesATransactionalIdAmongTheKafkaSettings() {
    ConfigException error =
        catchThrowableOfType(
            ConfigException.class,
            () -> OutboxConfig.builder().kafka("transactional.id", "mine").build());
    assertThat(error.problems())
        .containsExactly(
            "Invalid key kafka.transactional.id: the relay sets its own transactional.id"
                + " (backstop-outbox-<table-prefix><relay-id>); remove the key");
  }

  @Test
  void rejectsContradictoryPollIntervals() {
    ConfigException error =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                OutboxConfig.builder()
                    .set("backstop.outbox.poll-interval-min", "2s")
                    .set("backstop.outbox.poll-interval-max", "1s")
                    .build());
    assertThat(error)
        .hasMessage(
            "Invalid value 1s for backstop.outbox.poll-interval-max: must be at least"
                + " backstop.outbox.poll-interval-min");
  }

  @Test
  void startingARelayWithoutTheSchemaSaysWhatIsMissing(TestDatabase db) {
    OutboxConfig config =
        OutboxConfig.builder()
            .tablePrefix("missing_")
            .kafka("bootstrap.servers", "localhost:1")
            .build();
    try (Outbox outbox = Outbox.create(config, db.dataSource())) {
      OutboxException error = catchThrowableOfType(OutboxException.class, outbox::startRelay);
      assertThat(error).hasMessageContaining("is the schema installed (prefix missing_)?");
    }
  }

  @Test
  void buildsItsOwnPoolFromTheJdbcKeys(TestDatabase db) {
    Properties properties = new Properties();
    properties.setProperty("backstop.outbox.jdbc-url", db.jdbcUrl());
    properties.setProperty("backstop.outbox.jdbc-user", db.user());
    properties.setProperty("backstop.outbox.jdbc-password", db.password());
    properties.setProperty("backstop.outbox.table-prefix", "pool_");
    properties.setProperty("backstop.outbox.auto-create-schema", "true");
    OutboxConfig config = OutboxConfig.fromProperties(properties);
    assertThat(config.describe()).contains("backstop.outbox.jdbc-password = ****");
    try (Outbox outbox = Outbox.create(config)) {
      assertThat(outbox.parked(10)).isEmpty();
    }
  }
}
