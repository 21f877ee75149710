package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backstop.core.ConfigException;
import java.io.StringReader;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Acceptance 7: configuration errors fail at start with one clear message naming key and rule. */
class OutboxConfigTest {

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
        catchThrowableOfType(ConfigException.class, () -> OutboxConfig.from(properties));
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
  void builderAndPropertiesGoThroughOneParseAndDescribeAlike() throws Exception {
    Properties properties = new Properties();
    properties.load(
        new StringReader(
            """
            backstop.outbox.batch-size=250
            backstop.outbox.lease-duration=20s
            backstop.outbox.jdbc-password=pw-secret
            kafka.bootstrap.servers=k:1
            kafka.sasl.jaas.config=PlainLoginModule required password="kafka-secret";
            """));
    OutboxConfig fromFile = OutboxConfig.from(properties);
    OutboxConfig built =
        OutboxConfig.builder()
            .batchSize(250)
            .leaseDuration(Duration.ofSeconds(20))
            .set(OutboxConfig.JDBC_PASSWORD, "pw-secret")
            .bootstrapServers("k:1")
            .kafka("sasl.jaas.config", "PlainLoginModule required password=\"kafka-secret\";")
            .build();
    assertThat(built.describe()).isEqualTo(fromFile.describe());
    assertThat(built.toString())
        .contains("backstop.outbox.batch-size = 250\n")
        .contains("backstop.outbox.jdbc-password = ****\n")
        .contains("kafka.bootstrap.servers = k:1\n")
        .contains("kafka.sasl.jaas.config = ****\n")
        .doesNotContain("secret");
  }

  @Test
  void reportsTheKafkaAndCrossKeyProblemsTogether() {
    ConfigException error =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                OutboxConfig.builder()
                    .batchSize(0)
                    .set(OutboxConfig.PUBLISH_TIMEOUT, Duration.ofSeconds(30))
                    .kafka("transactional.id", "mine")
                    .build());
    assertThat(error.problems())
        .hasSize(3)
        .anySatisfy(p -> assertThat(p).startsWith("Invalid value 0 for backstop.outbox.batch-size"))
        .anySatisfy(
            p -> assertThat(p).startsWith("Invalid value 30s for backstop.outbox.publish-timeout"))
        .anySatisfy(p -> assertThat(p).startsWith("Invalid key kafka.transactional.id"));
  }
}
