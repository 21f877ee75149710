package dev.backstop.retry.internal;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** Which partitions to pause and to resume to reach the wanted state. Pure; thread-safe. */
final class Pauses {

  /** Partitions to pause and to resume. */
  record PauseChange(Set<TopicPartition> pause, Set<TopicPartition> resume) {}

  private Pauses() {}

  /**
   * Paused must be exactly the assigned partitions in {@code wanted}, or every assigned partition
   * when {@code holdAll}; partitions no longer assigned are never touched.
   */
  static PauseChange reconcile(
      Set<TopicPartition> assigned,
      Set<TopicPartition> paused,
      Set<TopicPartition> wanted,
      boolean holdAll) {
    Set<TopicPartition> target = new HashSet<>();
    for (TopicPartition partition : assigned) {
      if (holdAll || wanted.contains(partition)) {
        target.add(partition);
      }
    }
    Set<TopicPartition> pause = new HashSet<>(target);
    pause.removeAll(paused);
    Set<TopicPartition> resume = new HashSet<>(paused);
    resume.removeAll(target);
    resume.retainAll(assigned);
    return new PauseChange(pause, resume);
  }
}
