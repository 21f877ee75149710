package dev.backstop.dlq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReplayPlanTest {
  static final TopicPartition P0 = new TopicPartition("orders.dlq", 0);
  static final TopicPartition P1 = new TopicPartition("orders.dlq", 1);

  @Test
  void aFirstRunReadsFromTheFiltersFirstMatchToTheEnd() {
    ReplayPlan plan =
        ReplayPlan.of(
            List.of(P0, P1), Map.of(), 0, Map.of(P0, 0L, P1, 4L), Map.of(P0, 10L, P1, 6L), null);
    assertThat(plan.starts()).containsEntry(P0, 0L).containsEntry(P1, 4L);
    assertThat(plan.ends()).containsEntry(P0, 10L).containsEntry(P1, 6L);
    assertThat(plan.total()).isEqualTo(12);
    assertThat(plan.resumed()).isFalse();
  }

  @Test
  void aResumedRunStartsAtTheLaterOfCheckpointAndFirstMatch() {
    ReplayPlan plan =
        ReplayPlan.of(
            List.of(P0, P1),
            Map.of(P0, 7L, P1, 2L),
            5,
            Map.of(P0, 0L, P1, 4L),
            Map.of(P0, 10L, P1, 6L),
            null);
    assertThat(plan.starts()).containsEntry(P0, 7L).containsEntry(P1, 4L);
    assertThat(plan.total()).isEqualTo(3 + 2);
    assertThat(plan.resumed()).isTrue();
    assertThat(plan.selectedBefore()).isEqualTo(5);
  }

  @Test
  void theFiltersLastOffsetCutsTheEndAndAPassedCheckpointReadsNothing() {
    ReplayPlan plan =
        ReplayPlan.of(
            List.of(P0, P1),
            Map.of(P1, 9L),
            0,
            Map.of(P0, 0L, P1, 0L),
            Map.of(P0, 10L, P1, 6L),
            3L);
    assertThat(plan.ends()).containsEntry(P0, 4L).containsEntry(P1, 4L);
    assertThat(plan.total()).as("partition 1's checkpoint is past its end").isEqualTo(4);
  }
}
