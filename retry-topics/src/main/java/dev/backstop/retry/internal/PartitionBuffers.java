package dev.backstop.retry.internal;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Records fetched but not yet finished, per partition, in offset order. A partition with buffered
 * records stays paused, so the consumer keeps polling (and stays in its group) without fetching
 * more for it; when its buffer empties it is resumed. Not thread-safe: owned by one consumer
 * thread.
 */
final class PartitionBuffers {

  /** Partitions to pause and to resume to reach the wanted state. */
  record PauseChange(Set<TopicPartition> pause, Set<TopicPartition> resume) {}

  private final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffers =
      new LinkedHashMap<>();

  void add(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      buffers
          .computeIfAbsent(partition, p -> new ArrayDeque<>())
          .addAll(records.records(partition));
    }
  }

  ConsumerRecord<byte[], byte[]> head(TopicPartition partition) {
    ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = buffers.get(partition);
    return buffer == null ? null : buffer.peekFirst();
  }

  void pop(TopicPartition partition) {
    ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = buffers.get(partition);
    buffer.pollFirst();
    if (buffer.isEmpty()) {
      buffers.remove(partition);
    }
  }

  /** Forgets the buffered records of partitions that were revoked or lost (or rewound). */
  void drop(Collection<TopicPartition> partitions) {
    partitions.forEach(buffers::remove);
  }

  Set<TopicPartition> partitions() {
    return Set.copyOf(buffers.keySet());
  }

  boolean isEmpty() {
    return buffers.isEmpty();
  }

  int size() {
    return buffers.values().stream().mapToInt(ArrayDeque::size).sum();
  }

  /**
   * Paused must be exactly the assigned partitions that have buffered records, or every assigned
   * partition while the circuit holds consumption.
   */
  static PauseChange reconcile(
      Set<TopicPartition> assigned,
      Set<TopicPartition> paused,
      Set<TopicPartition> buffered,
      boolean holdAll) {
    Set<TopicPartition> wanted = new HashSet<>();
    for (TopicPartition partition : assigned) {
      if (holdAll || buffered.contains(partition)) {
        wanted.add(partition);
      }
    }
    Set<TopicPartition> pause = new HashSet<>(wanted);
    pause.removeAll(paused);
    Set<TopicPartition> resume = new HashSet<>(paused);
    resume.removeAll(wanted);
    resume.retainAll(assigned);
    return new PauseChange(pause, resume);
  }
}
