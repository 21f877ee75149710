package dev.backstop.retry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class SchedulingTest {
  private static final Instant SENT = Instant.parse("2026-01-01T00:00:00Z");
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);
  private static final TopicPartition P2 = new TopicPartition("t", 2);

  private static ConsumerRecord<byte[], byte[]> tierRecord(String dueAt) {
    RecordHeaders headers = new RecordHeaders();
    if (dueAt != null) {
      MessageHeaders.set(headers, BackstopHeaders.RETRY_DUE_AT, dueAt);
    }
    return new ConsumerRecord<>(
        "t.retry.30s",
        0,
        0,
        SENT.toEpochMilli(),
        TimestampType.CREATE_TIME,
        0,
        0,
        null,
        null,
        headers,
        Optional.empty());
  }

  @Test
  void dueTimeComesFromTheHeader() {
    String due = Long.toString(SENT.plusSeconds(33).toEpochMilli());
    assertThat(DueTimes.dueAt(tierRecord(due), Duration.ofSeconds(30)))
        .isEqualTo(SENT.plusSeconds(33));
  }

  @Test
  void missingOrCorruptDueTimeFallsBackToTimestampPlusDelay() {
    assertThat(DueTimes.dueAt(tierRecord(null), Duration.ofSeconds(30)))
        .isEqualTo(SENT.plusSeconds(30));
    assertThat(DueTimes.dueAt(tierRecord("soon"), Duration.ofSeconds(30)))
        .isEqualTo(SENT.plusSeconds(30));
  }

  @Test
  void farFutureDueTimeIsBroughtBack() {
    String year = Long.toString(SENT.plus(Duration.ofDays(365)).toEpochMilli());
    assertThat(DueTimes.dueAt(tierRecord(year), Duration.ofSeconds(30)))
        .isEqualTo(SENT.plusSeconds(60));
  }

  @Test
  void pausesExactlyTheAssignedPartitionsWithWaitingRecords() {
    Pauses.PauseChange change = Pauses.reconcile(Set.of(P0, P1), Set.of(P1), Set.of(P0, P2), false);
    assertThat(change.pause()).containsExactly(P0);
    assertThat(change.resume()).containsExactly(P1);
  }

  @Test
  void reassignedPartitionsArePausedAgainAndUnassignedNeverTouched() {
    Pauses.PauseChange afterRebalance =
        Pauses.reconcile(Set.of(P0, P1), Set.of(), Set.of(P0, P1), false);
    assertThat(afterRebalance.pause()).containsExactlyInAnyOrder(P0, P1);
    Pauses.PauseChange lost = Pauses.reconcile(Set.of(P0), Set.of(P1), Set.of(), false);
    assertThat(lost.resume()).isEmpty();
    assertThat(lost.pause()).isEmpty();
  }

  @Test
  void anOpenCircuitPausesEverything() {
    Pauses.PauseChange change = Pauses.reconcile(Set.of(P0, P1), Set.of(), Set.of(), true);
    assertThat(change.pause()).containsExactlyInAnyOrder(P0, P1);
  }
}
