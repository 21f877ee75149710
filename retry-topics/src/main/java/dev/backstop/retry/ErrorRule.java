package dev.backstop.retry;

import dev.backstop.core.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One entry of the rule table: which failures it matches and what to do with them.
 *
 * <p>Rules are tried in declaration order at each level of the cause chain, outermost first; the
 * first match wins. A failure no rule matches is retried through the configured tiers.
 *
 * <p>Immutable and thread-safe when the predicate is.
 *
 * @param name shown in logs and in the start-up configuration
 * @param matches decides whether a throwable (one level of the cause chain) matches
 * @param action what to do on a match
 * @param tiers for {@link Action#RETRY}, this rule's own tier delays; empty means the configured
 *     {@code backstop.retry.tiers}
 */
public record ErrorRule(
    String name, Predicate<Throwable> matches, Action action, List<Duration> tiers) {

  public ErrorRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(matches, "matches");
    Objects.requireNonNull(action, "action");
    tiers = List.copyOf(tiers);
    if (!tiers.isEmpty() && action != Action.RETRY) {
      throw new IllegalArgumentException(
          "rule " + name + ": tiers only apply to RETRY rules, not " + action);
    }
    for (int i = 0; i < tiers.size(); i++) {
      if (tiers.get(i).isNegative() || tiers.get(i).isZero()) {
        throw new IllegalArgumentException(
            "rule " + name + ": tier " + Durations.format(tiers.get(i)) + " must be positive");
      }
      if (i > 0 && tiers.get(i).compareTo(tiers.get(i - 1)) < 0) {
        throw new IllegalArgumentException(
            "rule "
                + name
                + ": tier "
                + Durations.format(tiers.get(i))
                + " is shorter than the one before it ("
                + Durations.format(tiers.get(i - 1))
                + ")");
      }
    }
  }

  /** Matches exceptions of {@code type} (and subclasses) anywhere in the cause chain. */
  public static ErrorRule on(Class<? extends Throwable> type, Action action) {
    return new ErrorRule(type.getName(), type::isInstance, action, List.of());
  }

  /** Matches throwables for which {@code predicate} holds. */
  public static ErrorRule on(String name, Predicate<Throwable> predicate, Action action) {
    return new ErrorRule(name, predicate, action, List.of());
  }

  /** Retries exceptions of {@code type} through their own tiers instead of the configured ones. */
  public static ErrorRule retry(Class<? extends Throwable> type, Duration... tiers) {
    return new ErrorRule(type.getName(), type::isInstance, Action.RETRY, List.of(tiers));
  }
}
