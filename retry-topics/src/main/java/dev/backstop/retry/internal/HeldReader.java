package dev.backstop.retry.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the held-keys partitions of the source partitions a loop owns, with a consumer of its own
 * (assigned, no group): from the start when a source partition is assigned, then as entries come.
 * Not thread-safe: used by the poll thread of the source loop.
 */
final class HeldReader implements AutoCloseable {
  private static final Duration RESTORE_POLL = Duration.ofMillis(100);

  private final Consumer<byte[], byte[]> consumer;
  private final TopicNames names;

  HeldReader(Consumer<byte[], byte[]> consumer, TopicNames names) {
    this.consumer = consumer;
    this.names = names;
  }

  /** The held-keys partition of a source partition. */
  TopicPartition heldPartition(TopicPartition source) {
    return new TopicPartition(names.heldTopic(source.topic()), source.partition());
  }

  /**
   * Starts reading the held-keys partitions of {@code sources} and reads them to their end, before
   * {@code deadlineNanos}; returns their entries by source partition, and hands entries of the
   * partitions already read to {@code live}.
   *
   * @throws IllegalStateException when the end is not reached before the deadline
   */
  Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> restore(
      Collection<TopicPartition> sources,
      long deadlineNanos,
      java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> live) {
    Map<TopicPartition, TopicPartition> sourceOf = new HashMap<>();
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> entries = new HashMap<>();
    for (TopicPartition source : sources) {
      sourceOf.put(heldPartition(source), source);
      entries.put(source, new ArrayList<>());
    }
    Set<TopicPartition> assignment = new HashSet<>(consumer.assignment());
    assignment.addAll(sourceOf.keySet());
    consumer.assign(assignment);
    consumer.seekToBeginning(sourceOf.keySet());
    Map<TopicPartition, Long> ends = consumer.endOffsets(sourceOf.keySet());
    Set<TopicPartition> reading = new HashSet<>(sourceOf.keySet());
    while (true) {
      reading.removeIf(held -> consumer.position(held) >= ends.getOrDefault(held, 0L));
      if (reading.isEmpty()) {
        return entries;
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new IllegalStateException(
            "cannot read the held keys of " + reading + " to their end in time");
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(RESTORE_POLL)) {
        TopicPartition held = new TopicPartition(record.topic(), record.partition());
        TopicPartition source = sourceOf.get(held);
        if (source != null) {
          entries.get(source).add(record);
        } else {
          live.accept(record);
        }
      }
    }
  }

  /** Entries written since the last read, without waiting. */
  ConsumerRecords<byte[], byte[]> poll() {
    return consumer.assignment().isEmpty() ? ConsumerRecords.empty() : consumer.poll(Duration.ZERO);
  }

  /** Stops reading the held-keys partitions of {@code sources}. */
  void stop(Collection<TopicPartition> sources) {
    Set<TopicPartition> assignment = new HashSet<>(consumer.assignment());
    sources.forEach(source -> assignment.remove(heldPartition(source)));
    consumer.assign(assignment);
  }

  @Override
  public void close() {
    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
  }
}
