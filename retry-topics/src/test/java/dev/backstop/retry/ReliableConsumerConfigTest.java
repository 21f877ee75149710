package dev.backstop.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.BackstopProperties;
import dev.backstop.core.ConfigException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ReliableConsumerConfigTest {

  @Test
  void readsTheExamplePropertiesFile() throws URISyntaxException {
    Path file = Path.of(getClass().getResource("/retry-example.properties").toURI());
    ReliableConsumerConfig config =
        ReliableConsumerConfig.from(BackstopProperties.load(file, Map.of()));

    assertThat(config.groupId()).isEqualTo("payments");
    assertThat(config.topics()).containsExactly("orders");
    assertThat(config.tiers())
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(10));
    assertThat(config.jitter()).isEqualTo(0.2);
    assertThat(config.inPlaceAttempts()).isEqualTo(2);
    assertThat(config.maxAge()).isEqualTo(Duration.ofHours(2));
    assertThat(config.deadLetterOn())
        .containsExactly("java.lang.IllegalArgumentException", "java.io.UncheckedIOException");
    assertThat(config.kafka())
        .containsEntry("bootstrap.servers", "localhost:9092")
        .containsEntry("max.poll.interval.ms", "300000");
  }

  @Test
  void resolvesTheDeadLetterAndTierTopicsFromTheDefaultTemplates() {
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder()
            .groupId("payments")
            .topics("orders")
            .tiers(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(30))
            .build();

    assertThat(config.deadLetterTopicFor("orders")).isEqualTo("orders.dlq");
    assertThat(config.tierTopicsFor("orders"))
        .containsExactly("orders.retry.1s", "orders.retry.30s");
  }

  @Test
  void resolvesTopicsFromCustomTemplatesWithTheGroup() {
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder()
            .groupId("payments")
            .topics("orders")
            .tiers(Duration.ofMillis(500), Duration.ofMinutes(10))
            .topicTemplate("{group}-{topic}-retry-{delay}")
            .dlqTopic("dead.{group}.{topic}")
            .build();

    assertThat(config.deadLetterTopicFor("refunds")).isEqualTo("dead.payments.refunds");
    assertThat(config.tierTopicsFor("orders"))
        .containsExactly("payments-orders-retry-500ms", "payments-orders-retry-10m");
    assertThatThrownBy(() -> config.deadLetterTopicFor(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("source topic");
  }

  @Test
  void builderIsEquivalentToProperties() {
    Properties properties = new Properties();
    properties.setProperty("backstop.consumer.group-id", "payments");
    properties.setProperty("backstop.consumer.topics", "orders,refunds");
    properties.setProperty("backstop.retry.tiers", "1s,30s");
    properties.setProperty("backstop.retry.jitter", "0.3");
    properties.setProperty("kafka.bootstrap.servers", "broker:9092");
    ReliableConsumerConfig fromFile =
        ReliableConsumerConfig.from(BackstopProperties.from(properties));

    ReliableConsumerConfig built =
        ReliableConsumerConfig.builder()
            .groupId("payments")
            .topics("orders", "refunds")
            .tiers(Duration.ofSeconds(1), Duration.ofSeconds(30))
            .jitter(0.3)
            .bootstrapServers("broker:9092")
            .build();

    assertThat(built.describe()).isEqualTo(fromFile.describe());
    assertThat(built.kafka()).isEqualTo(fromFile.kafka());
  }

  @Test
  void defaultsAreDocumentedValues() {
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder().groupId("g").topics("t").build();

    assertThat(config.tiers())
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(10));
    assertThat(config.topicTemplate()).isEqualTo("{topic}.retry.{delay}");
    assertThat(config.dlqTopic()).isEqualTo("{topic}.dlq");
    assertThat(config.inPlaceAttempts()).isZero();
    assertThat(config.circuitEnabled()).isTrue();
    assertThat(config.createTopics()).isFalse();
  }

  @Test
  void rejectsEveryProblemAtOnceWithOneMessage() {
    ReliableConsumerConfig.Builder builder =
        ReliableConsumerConfig.builder()
            .topics("orders")
            .set("backstop.retry.tiers", "30s,1s")
            .set("backstop.retry.jitter", "1.5")
            .set("backstop.retry.dead-letter-on", "com.acme.NoSuchException");

    assertThatThrownBy(builder::build)
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "Missing value for backstop.consumer.group-id: required",
                        "Invalid value 30s,1s for backstop.retry.tiers: "
                            + ReliableConsumerConfig.TIER_RULE,
                        "Invalid value 1.5 for backstop.retry.jitter: must be between 0.0 and 1.0",
                        "Invalid value com.acme.NoSuchException for backstop.retry.dead-letter-on: "
                            + ReliableConsumerConfig.CLASS_RULE));
  }

  @Test
  void keyOrderIsOffByDefaultAndPreserveNeedsAnOrderingThatKeepsKeys() {
    ReliableConsumerConfig defaults =
        ReliableConsumerConfig.builder().groupId("g").topics("orders").build();
    assertThat(defaults.preservesKeyOrder()).isFalse();
    assertThat(defaults.heldTopicFor("orders")).isEqualTo("orders.held");
    assertThat(defaults.releasesHeldAfterDeadLetter()).isFalse();
    assertThat(defaults.maxHeldRecords()).isEqualTo(10_000);

    ReliableConsumerConfig partition =
        ReliableConsumerConfig.builder()
            .groupId("g")
            .topics("orders")
            .preserveKeyOrder(true)
            .ordering(Ordering.PARTITION)
            .build();
    assertThat(partition.preservesKeyOrder()).isTrue();

    assertThatThrownBy(
            () ->
                ReliableConsumerConfig.builder()
                    .groupId("g")
                    .topics("orders")
                    .preserveKeyOrder(true)
                    .ordering(Ordering.UNORDERED)
                    .set("backstop.retry.held-after-dead-letter", "later")
                    .set("backstop.retry.max-held-records", "0")
                    .build())
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "Invalid value preserve for backstop.retry.key-order: preserve needs"
                            + " backstop.consumer.ordering=key or partition, not unordered",
                        "Invalid value later for backstop.retry.held-after-dead-letter: must be"
                            + " wait or release",
                        "Invalid value 0 for backstop.retry.max-held-records: must be at least 1"));
  }

  @Test
  void rejectsTierShorterThanPrevious() {
    assertThatThrownBy(
            () ->
                ReliableConsumerConfig.builder()
                    .groupId("g")
                    .topics("t")
                    .tiers(Duration.ofSeconds(30), Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("backstop.retry.tiers");
  }

  @Test
  void rejectsUnknownKeyWithAHint() {
    assertThatThrownBy(
            () ->
                ReliableConsumerConfig.builder()
                    .groupId("g")
                    .topics("t")
                    .set("backstop.retry.tier", "1s")
                    .build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Unknown key backstop.retry.tier")
        .hasMessageContaining("backstop.retry.tiers");
  }

  @Test
  void rejectsTopicTemplateWithoutDelay() {
    assertThatThrownBy(
            () ->
                ReliableConsumerConfig.builder()
                    .groupId("g")
                    .topics("t")
                    .topicTemplate("{topic}.retry")
                    .build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("backstop.retry.topic-template");
  }

  @Test
  void inPlaceAttemptsLongerThanThePollIntervalAreFineNowThatWorkersRunThem() {
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder()
            .groupId("g")
            .topics("t")
            .inPlaceAttempts(3, Duration.ofSeconds(2))
            .kafka("max.poll.interval.ms", "10000")
            .build();
    assertThat(config.inPlaceAttempts()).isEqualTo(3);
  }

  @Test
  void concurrencyDefaultsServeAnIoBoundHandlerInKeyOrder() {
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder().groupId("g").topics("t").build();
    assertThat(config.ordering()).isEqualTo(Ordering.KEY);
    assertThat(config.concurrency()).isEqualTo(32);
    assertThat(config.maxBufferedRecords()).isEqualTo(5000);
    assertThat(config.maxPollRecords()).isEqualTo(500);
    assertThat(config.commitInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(
            ReliableConsumerConfig.builder()
                .groupId("g")
                .topics("t")
                .set("backstop.consumer.ordering", "Partition")
                .build()
                .ordering())
        .isEqualTo(Ordering.PARTITION);
  }

  @Test
  void rejectsAConcurrencyOfZeroAndAnUnknownOrdering() {
    assertThatThrownBy(
            () ->
                ReliableConsumerConfig.builder()
                    .groupId("g")
                    .topics("t")
                    .set("backstop.consumer.concurrency", "0")
                    .set("backstop.consumer.ordering", "fifo")
                    .build())
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "Invalid value 0 for backstop.consumer.concurrency: must be between 1 and"
                            + " 1024",
                        "Invalid value fifo for backstop.consumer.ordering: must be one of key,"
                            + " partition, unordered"));
  }

  @Test
  void rejectsABufferBoundBelowThePollSize() {
    assertThatThrownBy(
            () ->
                ReliableConsumerConfig.builder()
                    .groupId("g")
                    .topics("t")
                    .maxBufferedRecords(100)
                    .kafka("max.poll.records", "200")
                    .build())
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value 100 for backstop.consumer.max-buffered-records: must be at least"
                + " max.poll.records (200), the most records one poll returns");
  }

  @Test
  void ruleTiersMustNotShrink() {
    assertThatThrownBy(
            () ->
                ErrorRule.retry(
                    IllegalStateException.class, Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shorter than the one before it");
    assertThat(ErrorRule.retry(IllegalStateException.class, Duration.ofSeconds(1)).tiers())
        .isEqualTo(List.of(Duration.ofSeconds(1)));
  }

  @Test
  void longestRetryPathIsEveryTierWithFullJitterAfterTheInPlaceAttempts() {
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder()
            .groupId("g")
            .topics("t")
            .tiers(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(10))
            .jitter(0.2)
            .inPlaceAttempts(2, Duration.ofMillis(100))
            .build();

    // 200ms in place + (1s + 30s + 600s) x 1.2
    assertThat(config.longestRetryPath()).isEqualTo(Duration.ofMillis(200 + 757_200));
  }

  @Test
  void longestRetryPathIsCutByMaxAgePlusTheLastTier() {
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder()
            .groupId("g")
            .topics("t")
            .tiers(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1))
            .jitter(0.0)
            .maxAge(Duration.ofMinutes(90))
            .build();

    // past 90 minutes the next failure dead-letters: a forward just before it waits one more hour
    assertThat(config.longestRetryPath()).isEqualTo(Duration.ofMinutes(150));
  }

  @Test
  void longestRetryPathOfTheDefaults() {
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder().groupId("g").topics("t").build();

    // 1s,30s,10m with jitter 0.1, max-age 1d does not cut
    assertThat(config.longestRetryPath()).isEqualTo(Duration.ofMillis(694_100));
  }
}
