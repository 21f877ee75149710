package dev.backstop.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DlqConfigTest {

  private static Properties props(String... pairs) {
    Properties p = new Properties();
    for (int i = 0; i < pairs.length; i += 2) {
      p.setProperty(pairs[i], pairs[i + 1]);
    }
    return p;
  }

  @Test
  void readsKafkaAndDlqKeys() {
    DlqConfig config =
        DlqConfig.from(
            props(
                "kafka.bootstrap.servers", "k1:9092",
                "kafka.security.protocol", "SASL_SSL",
                "backstop.dlq.read.timeout", "5s",
                "backstop.dlq.replay.max-replays", "2",
                "backstop.dlq.replay.max-in-flight", "7",
                "backstop.dlq.replay.allowed-targets", "orders, payments.*"));
    assertThat(config.kafka()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.maxReplays()).isEqualTo(2);
    assertThat(config.maxInFlight()).isEqualTo(7);
    assertThat(config.allowedTargets()).containsExactly("orders", "payments.*");
  }

  @Test
  void defaults() {
    DlqConfig config = DlqConfig.builder().bootstrapServers("k:1").build();
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.maxReplays()).isEqualTo(3);
    assertThat(config.allowedTargets()).isEmpty();
    assertThat(config.checkpointPrefix()).isEqualTo("backstop-replay-");
  }

  @Test
  void requiresBootstrapServers() {
    assertThatThrownBy(() -> DlqConfig.builder().build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Missing value for kafka.bootstrap.servers");
  }

  @Test
  void rejectsAnInvalidValueNamingKeyAndValue() {
    assertThatThrownBy(() -> DlqConfig.builder().bootstrapServers("k:1").maxReplays(-1).build())
        .hasMessageContaining("Invalid value -1 for backstop.dlq.replay.max-replays");
  }

  @Test
  void rejectsUnknownDlqKeysWithAHint() {
    assertThatThrownBy(
            () ->
                DlqConfig.from(
                    props(
                        "kafka.bootstrap.servers", "k:1",
                        "backstop.dlq.replay.max-replay", "2")))
        .isInstanceOf(dev.backstop.core.ConfigException.class)
        .hasMessageContaining(
            "Unknown key backstop.dlq.replay.max-replay: did you mean backstop.dlq.replay.max-replays?");
  }

  @Test
  void ignoresKeysOfOtherModules() {
    DlqConfig config =
        DlqConfig.from(
            props(
                "kafka.bootstrap.servers",
                "k:1",
                "backstop.dlq.topic",
                "{topic}.dlq",
                "backstop.retry.tiers",
                "1s"));
    assertThat(config.maxInFlight()).isEqualTo(10_000);
  }

  @Test
  void oneFileConfiguresTheConsumerWrapperAndTheDeadLetterTools() {
    Properties file = new Properties();
    file.setProperty("backstop.consumer.group-id", "payments");
    file.setProperty("backstop.consumer.topics", "orders");
    file.setProperty("backstop.dlq.topic", "{topic}.dead");
    file.setProperty("backstop.dlq.read.timeout", "5s");
    file.setProperty("backstop.dlq.replay.max-replays", "5");
    file.setProperty("kafka.bootstrap.servers", "k:1");

    dev.backstop.retry.ReliableConsumerConfig retry =
        dev.backstop.retry.ReliableConsumerConfig.from(
            dev.backstop.core.BackstopProperties.from(file, java.util.Map.of()));
    DlqConfig dlq = DlqConfig.from(file);

    assertThat(retry.deadLetterTopicFor("orders")).isEqualTo("orders.dead");
    assertThat(dlq.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(dlq.maxReplays()).isEqualTo(5);
    file.setProperty("backstop.dlq.typo", "x");
    assertThatThrownBy(
            () ->
                dev.backstop.retry.ReliableConsumerConfig.from(
                    dev.backstop.core.BackstopProperties.from(file, java.util.Map.of())))
        .hasMessageContaining("backstop.dlq.typo");
  }

  @Test
  void describeAndRedactHideSecrets() {
    String jaas =
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
            + " password=\"s3cr3t-pw\";";
    DlqConfig config =
        DlqConfig.builder()
            .bootstrapServers("k:1")
            .kafka("sasl.jaas.config", jaas)
            .kafka("ssl.truststore.password", "tr-pw")
            .allowedTargets(List.of())
            .build();
    assertThat(config.describe())
        .contains("kafka.sasl.jaas.config = ****")
        .contains("kafka.ssl.truststore.password = ****")
        .doesNotContain("s3cr3t-pw")
        .doesNotContain("tr-pw");
    assertThat(config.redact("bad config " + jaas + " and tr-pw"))
        .doesNotContain("s3cr3t-pw")
        .doesNotContain("tr-pw");
    assertThat(config.redact("login failed: password=\"other\""))
        .isEqualTo("login failed: password=****");
    assertThat(config.toString())
        .as("a log line that prints the config")
        .contains("kafka.sasl.jaas.config = ****")
        .contains("kafka.bootstrap.servers = k:1")
        .doesNotContain("s3cr3t-pw")
        .doesNotContain("tr-pw");
  }
}
