package dev.backstop.dlq.internal;

import dev.backstop.dlq.DeadLetterFilter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets a replay reads: per partition, from the later of the checkpoint and the filter's
 * first match, to the end offset of the moment it started (or the filter's last offset). Immutable
 * and thread-safe.
 *
 * @param partitions the partitions in the order they are replayed
 * @param starts the first offset to read, per partition
 * @param ends the offset to stop before, per partition
 * @param total offsets to read in all
 * @param resumed whether an earlier run left a checkpoint
 * @param selectedBefore dead letters selected by earlier runs
 */
record ReplayPlan(
    List<TopicPartition> partitions,
    Map<TopicPartition, Long> starts,
    Map<TopicPartition, Long> ends,
    long total,
    boolean resumed,
    long selectedBefore) {

  ReplayPlan {
    partitions = List.copyOf(partitions);
    starts = Map.copyOf(starts);
    ends = Map.copyOf(ends);
  }

  /** Plans the replay of {@code partitions} from their checkpoint. */
  static ReplayPlan of(
      List<TopicPartition> partitions,
      Checkpoint checkpoint,
      TopicScanner scanner,
      DeadLetterFilter filter) {
    return of(
        partitions,
        checkpoint.positions(partitions),
        checkpoint.selectedBefore(partitions),
        scanner.starts(partitions, filter),
        scanner.ends(partitions),
        filter.toOffset());
  }

  /**
   * Plans from what was read: the checkpoint's positions ({@code committed}, empty on a first run),
   * the filter's first matching offsets, the end offsets and the filter's last offset (null: none).
   */
  static ReplayPlan of(
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> committed,
      long selectedBefore,
      Map<TopicPartition, Long> filterStarts,
      Map<TopicPartition, Long> endOffsets,
      Long toOffset) {
    Map<TopicPartition, Long> starts = new HashMap<>(filterStarts);
    committed.forEach((tp, offset) -> starts.merge(tp, offset, Math::max));
    Map<TopicPartition, Long> ends = new HashMap<>(endOffsets);
    if (toOffset != null) {
      ends.replaceAll((tp, end) -> Math.min(end, toOffset + 1));
    }
    long total = 0;
    for (TopicPartition tp : partitions) {
      total += Math.max(0, ends.get(tp) - starts.get(tp));
    }
    return new ReplayPlan(partitions, starts, ends, total, !committed.isEmpty(), selectedBefore);
  }
}
