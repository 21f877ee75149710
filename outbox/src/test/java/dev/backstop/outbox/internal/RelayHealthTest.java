package dev.backstop.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a relay's state and the backlog it sees become its health. */
class RelayHealthTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final Duration DEGRADED_AFTER = Duration.ofSeconds(30);
  private static final RelayHealth.State RUNNING =
      new RelayHealth.State(4, 0, null, null, null, false, false);
  private static final Backlog.Snapshot CAUGHT_UP =
      new Backlog.Snapshot(2, NOW.minusSeconds(1), 1, NOW, null);

  @Test
  void aRunningRelayThatKeepsUpIsUpAndReportsItsCounts() {
    Health health = RelayHealth.of(RUNNING, CAUGHT_UP, NOW, DEGRADED_AFTER);

    assertThat(health.status()).isEqualTo(Health.Status.UP);
    assertThat(health.detail()).isEqualTo("relaying");
    assertThat(health.details())
        .containsExactly(
            entry("pending", 2L),
            entry("oldestPendingAgeMs", 1000L),
            entry("parked", 1L),
            entry("lanesOwned", 4),
            entry("consecutiveFailures", 0),
            entry("lastError", ""));
  }

  @Test
  void aStoppedThreadIsDownEvenWhileRoundsFail() {
    Error died = new OutOfMemoryError("heap");
    RelayHealth.State state = new RelayHealth.State(4, 3, "kafka: x", null, died, false, false);

    Health health = RelayHealth.of(state, CAUGHT_UP, NOW, DEGRADED_AFTER);

    assertThat(health.status()).isEqualTo(Health.Status.DOWN);
    assertThat(health.detail()).isEqualTo("relay thread stopped: java.lang.OutOfMemoryError: heap");
  }

  @Test
  void aKilledRelayIsDown() {
    RelayHealth.State state = new RelayHealth.State(0, 0, null, null, null, true, true);

    assertThat(RelayHealth.of(state, CAUGHT_UP, NOW, DEGRADED_AFTER).status())
        .isEqualTo(Health.Status.DOWN);
  }

  @Test
  void aClosedRelayIsDown() {
    RelayHealth.State state = new RelayHealth.State(0, 0, null, null, null, false, true);

    Health health = RelayHealth.of(state, CAUGHT_UP, NOW, DEGRADED_AFTER);

    assertThat(health.status()).isEqualTo(Health.Status.DOWN);
    assertThat(health.detail()).isEqualTo("closed");
  }

  @Test
  void failingRoundsDegradeWithTheLastError() {
    RelayHealth.State state =
        new RelayHealth.State(4, 2, "database: SQLException: gone", null, null, false, false);

    Health health = RelayHealth.of(state, CAUGHT_UP, NOW, DEGRADED_AFTER);

    assertThat(health.status()).isEqualTo(Health.Status.DEGRADED);
    assertThat(health.detail()).isEqualTo("database: SQLException: gone");
    assertThat(health.details())
        .containsEntry("consecutiveFailures", 2)
        .containsEntry("lastError", "database: SQLException: gone");
  }

  @Test
  void aBatchWaitingLongerThanFiveSecondsForItsAcksDegrades() {
    RelayHealth.State waiting =
        new RelayHealth.State(4, 0, null, NOW.minusSeconds(6), null, false, false);
    RelayHealth.State justSent =
        new RelayHealth.State(4, 0, null, NOW.minus(RelayHealth.SLOW_ACKS), null, false, false);

    Health health = RelayHealth.of(waiting, CAUGHT_UP, NOW, DEGRADED_AFTER);

    assertThat(health.status()).isEqualTo(Health.Status.DEGRADED);
    assertThat(health.detail()).isEqualTo("waiting 6000 ms for Kafka acks");
    assertThat(RelayHealth.of(justSent, CAUGHT_UP, NOW, DEGRADED_AFTER).status())
        .isEqualTo(Health.Status.UP);
  }

  @Test
  void anOldestPendingRowOlderThanDegradedAfterDegrades() {
    Backlog.Snapshot behind = new Backlog.Snapshot(500, NOW.minusSeconds(31), 0, NOW, null);

    Health health = RelayHealth.of(RUNNING, behind, NOW, DEGRADED_AFTER);

    assertThat(health.status()).isEqualTo(Health.Status.DEGRADED);
    assertThat(health.detail()).isEqualTo("oldest pending row is 31000 ms old");
  }

  @Test
  void anUnreadableBacklogDegrades() {
    Backlog.Snapshot unread = new Backlog.Snapshot(0, null, 0, Instant.MIN, "not read yet");

    Health health = RelayHealth.of(RUNNING, unread, NOW, DEGRADED_AFTER);

    assertThat(health.status()).isEqualTo(Health.Status.DEGRADED);
    assertThat(health.detail()).isEqualTo("backlog unreadable: not read yet");
    assertThat(health.details()).containsEntry("oldestPendingAgeMs", 0L);
  }

  private static Map.Entry<String, Object> entry(String name, Object value) {
    return Map.entry(name, value);
  }
}
