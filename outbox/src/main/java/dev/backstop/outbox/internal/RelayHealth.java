package dev.backstop.outbox.internal;

import dev.backstop.core.Health;
import java.time.Duration;
import java.time.Instant;

/**
 * A relay's health from what its thread reports and what the database shows of the backlog: down
 * when the thread stopped or the relay was closed; degraded while rounds fail, a batch waits long
 * for its acks, the oldest pending row is older than {@code degraded-after} or the backlog cannot
 * be read; up otherwise. Stateless.
 */
final class RelayHealth {

  /** How long a batch may wait for its acks before the relay reports degraded. */
  static final Duration SLOW_ACKS = Duration.ofSeconds(5);

  /**
   * What the relay reports of itself.
   *
   * @param publishingSince when the batch on the wire was sent, or null
   * @param died the error that ended the relay thread, or null
   */
  record State(
      int lanesOwned,
      int failures,
      String lastError,
      Instant publishingSince,
      Throwable died,
      boolean killed,
      boolean closed) {}

  private RelayHealth() {}

  /** The health at {@code now}, with the backlog and the relay's counts as details. */
  static Health of(State state, Backlog.Snapshot backlog, Instant now, Duration degradedAfter) {
    Duration age = backlog.oldestAge(now);
    return verdict(state, backlog, age, now, degradedAfter)
        .withDetail("pending", backlog.pending())
        .withDetail("oldestPendingAgeMs", age.toMillis())
        .withDetail("parked", backlog.parked())
        .withDetail("lanesOwned", state.lanesOwned())
        .withDetail("consecutiveFailures", state.failures())
        .withDetail("lastError", state.lastError() == null ? "" : state.lastError());
  }

  private static Health verdict(
      State state, Backlog.Snapshot backlog, Duration age, Instant now, Duration degradedAfter) {
    if (state.died() != null || state.killed()) {
      return Health.down("relay thread stopped: " + state.died());
    }
    if (state.closed()) {
      return Health.down("closed");
    }
    if (state.failures() > 0) {
      return Health.degraded(state.lastError());
    }
    Instant since = state.publishingSince();
    if (since != null && Duration.between(since, now).compareTo(SLOW_ACKS) > 0) {
      return Health.degraded(
          "waiting " + Duration.between(since, now).toMillis() + " ms for Kafka acks");
    }
    if (age.compareTo(degradedAfter) > 0) {
      return Health.degraded("oldest pending row is " + age.toMillis() + " ms old");
    }
    if (backlog.error() != null) {
      return Health.degraded("backlog unreadable: " + backlog.error());
    }
    return Health.up("relaying");
  }
}
