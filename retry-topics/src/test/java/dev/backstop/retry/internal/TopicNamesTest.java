package dev.backstop.retry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicNamesTest {
  private final TopicNames names =
      new TopicNames(
          "payments",
          List.of("orders", "refunds"),
          List.of(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(1)),
          "{topic}.retry.{delay}",
          "{topic}.dlq");

  @Test
  void namesTierTopicsFromTheTemplate() {
    assertThat(names.tierTopic("orders", Duration.ofSeconds(1))).isEqualTo("orders.retry.1s");
    assertThat(names.tierTopic("orders", Duration.ofMillis(1500))).isEqualTo("orders.retry.1500ms");
    assertThat(names.tierTopic("orders", Duration.ofMinutes(10))).isEqualTo("orders.retry.10m");
    assertThat(names.dlqTopic("orders")).isEqualTo("orders.dlq");
  }

  @Test
  void groupPlaceholderSeparatesGroupsSharingASource() {
    TopicNames perGroup =
        new TopicNames(
            "payments",
            List.of("orders"),
            List.of(Duration.ofSeconds(1)),
            "{topic}.{group}.retry.{delay}",
            "{topic}.{group}.dlq");
    assertThat(perGroup.tierTopic("orders", Duration.ofSeconds(1)))
        .isEqualTo("orders.payments.retry.1s");
    assertThat(perGroup.dlqTopic("orders")).isEqualTo("orders.payments.dlq");
  }

  @Test
  void repeatedDelaysShareOneTopicAndMapBackToTheirSource() {
    assertThat(names.tierTopicsByDelay())
        .isEqualTo(
            Map.of(
                Duration.ofSeconds(1), List.of("orders.retry.1s", "refunds.retry.1s"),
                Duration.ofSeconds(30), List.of("orders.retry.30s", "refunds.retry.30s")));
    assertThat(names.tier("refunds.retry.30s"))
        .hasValueSatisfying(
            tier -> {
              assertThat(tier.source()).isEqualTo("refunds");
              assertThat(tier.delay()).isEqualTo(Duration.ofSeconds(30));
            });
    assertThat(names.tier("orders")).isEmpty();
    assertThat(names.tierGroup(Duration.ofSeconds(30))).isEqualTo("payments.retry.30s");
  }
}
