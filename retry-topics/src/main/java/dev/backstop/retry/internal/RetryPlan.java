package dev.backstop.retry.internal;

import dev.backstop.core.Durations;
import dev.backstop.retry.ErrorRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Decides where a failed record goes next: the next tier of its rule's chain, the dead-letter
 * topic, or nowhere (skip). Pure; immutable and thread-safe when the random source is.
 */
public final class RetryPlan {

  /** Where a failed record goes. */
  public sealed interface Decision {}

  /** Forward to a tier topic, not to be handled before {@code dueAt}. */
  public record Retry(String topic, int tier, Duration delay, Instant dueAt) implements Decision {}

  /** Forward to the dead-letter topic. */
  public record DeadLetter(String topic, String reason) implements Decision {}

  /** Commit without forwarding. */
  public record Skip(String rule) implements Decision {}

  private final TopicNames names;
  private final List<Duration> defaultTiers;
  private final Duration maxAge;
  private final double jitter;
  private final DoubleSupplier random;

  public RetryPlan(
      TopicNames names,
      List<Duration> defaultTiers,
      Duration maxAge,
      double jitter,
      DoubleSupplier random) {
    this.names = names;
    this.defaultTiers = List.copyOf(defaultTiers);
    this.maxAge = maxAge;
    this.jitter = jitter;
    this.random = random;
  }

  /**
   * @param source the source topic the record was first consumed from
   * @param tier the tier the record was consumed from (0 for the source topic)
   * @param firstFailedAt when the record first failed (now, on a first failure)
   */
  public Decision decide(
      ErrorRule rule, String source, int tier, Instant firstFailedAt, Instant now) {
    switch (rule.action()) {
      case SKIP:
        return new Skip(rule.name());
      case DEAD_LETTER:
        return new DeadLetter(names.dlqTopic(source), "rule " + rule.name());
      default:
        break;
    }
    List<Duration> chain = chain(rule);
    if (tier >= chain.size()) {
      return new DeadLetter(names.dlqTopic(source), "failed after the last tier");
    }
    if (!now.isBefore(firstFailedAt.plus(maxAge))) {
      return new DeadLetter(
          names.dlqTopic(source), "first failed more than " + Durations.format(maxAge) + " ago");
    }
    Duration delay = chain.get(tier);
    return new Retry(names.tierTopic(source, delay), tier + 1, delay, now.plus(jittered(delay)));
  }

  /** The tier chain a rule uses. */
  public List<Duration> chain(ErrorRule rule) {
    return rule.tiers().isEmpty() ? defaultTiers : rule.tiers();
  }

  /**
   * Jitter only lengthens a delay (delay + up to jitter·delay), so a tier never hands a record back
   * before its nominal delay.
   */
  Duration jittered(Duration delay) {
    long extra = (long) (delay.toMillis() * jitter * random.getAsDouble());
    return delay.plusMillis(Math.max(0, extra));
  }
}
