package dev.backstop.retry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.retry.Action;
import dev.backstop.retry.ErrorRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPlanTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final ErrorRule RETRY = ErrorRule.on(RuntimeException.class, Action.RETRY);
  private final List<Duration> tiers = List.of(Duration.ofSeconds(1), Duration.ofSeconds(30));
  private final TopicNames names =
      new TopicNames(
          "g",
          List.of("orders"),
          List.of(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5)),
          "{topic}.retry.{delay}",
          "{topic}.dlq");

  private RetryPlan plan(double jitter, double random) {
    return new RetryPlan(names, tiers, Duration.ofHours(1), jitter, () -> random);
  }

  @Test
  void walksTheTiersThenTheDeadLetterTopic() {
    RetryPlan plan = plan(0, 0.5);
    assertThat(plan.decide(RETRY, "orders", 0, NOW, NOW))
        .isEqualTo(
            new RetryPlan.Retry("orders.retry.1s", 1, Duration.ofSeconds(1), NOW.plusSeconds(1)));
    assertThat(plan.decide(RETRY, "orders", 1, NOW, NOW))
        .isEqualTo(
            new RetryPlan.Retry(
                "orders.retry.30s", 2, Duration.ofSeconds(30), NOW.plusSeconds(30)));
    assertThat(plan.decide(RETRY, "orders", 2, NOW, NOW))
        .isEqualTo(new RetryPlan.DeadLetter("orders.dlq", "failed after the last tier"));
  }

  @Test
  void jitterOnlyLengthensTheDelay() {
    RetryPlan.Retry lowest = (RetryPlan.Retry) plan(0.2, 0.0).decide(RETRY, "orders", 0, NOW, NOW);
    RetryPlan.Retry highest = (RetryPlan.Retry) plan(0.2, 1.0).decide(RETRY, "orders", 0, NOW, NOW);
    assertThat(lowest.dueAt()).isEqualTo(NOW.plusSeconds(1));
    assertThat(highest.dueAt()).isEqualTo(NOW.plusMillis(1200));
  }

  @Test
  void deadLettersPastMaxAgeSinceTheFirstFailure() {
    Instant firstFailed = NOW.minus(Duration.ofHours(1));
    assertThat(plan(0, 0).decide(RETRY, "orders", 1, firstFailed, NOW))
        .isInstanceOf(RetryPlan.DeadLetter.class)
        .extracting(d -> ((RetryPlan.DeadLetter) d).reason())
        .isEqualTo("first failed more than 1h ago");
  }

  @Test
  void rulesDeadLetterSkipOrUseTheirOwnTiers() {
    RetryPlan plan = plan(0, 0);
    assertThat(
            plan.decide(
                ErrorRule.on(IllegalArgumentException.class, Action.DEAD_LETTER),
                "orders",
                0,
                NOW,
                NOW))
        .isEqualTo(
            new RetryPlan.DeadLetter("orders.dlq", "rule java.lang.IllegalArgumentException"));
    assertThat(
            plan.decide(
                ErrorRule.on(IllegalStateException.class, Action.SKIP), "orders", 0, NOW, NOW))
        .isEqualTo(new RetryPlan.Skip("java.lang.IllegalStateException"));
    ErrorRule own = ErrorRule.retry(IllegalStateException.class, Duration.ofSeconds(5));
    assertThat(plan.decide(own, "orders", 0, NOW, NOW))
        .isEqualTo(
            new RetryPlan.Retry("orders.retry.5s", 1, Duration.ofSeconds(5), NOW.plusSeconds(5)));
    assertThat(plan.decide(own, "orders", 1, NOW, NOW)).isInstanceOf(RetryPlan.DeadLetter.class);
  }
}
