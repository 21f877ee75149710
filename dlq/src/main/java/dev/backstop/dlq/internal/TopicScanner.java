package dev.backstop.dlq.internal;

import dev.backstop.dlq.BrokerUnavailableException;
import dev.backstop.dlq.DeadLetterFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads partitions of a topic one at a time, in offset order, from a start offset up to the end
 * offset seen when the scan began (so records written during the scan, such as replays that fail
 * again, are not read). Not thread-safe: one scan at a time.
 */
final class TopicScanner implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);

  /** Receives records; returns {@code false} to end the whole scan. */
  @FunctionalInterface
  interface Visitor {
    boolean visit(ConsumerRecord<byte[], byte[]> record);
  }

  /** Called after each poll's records of a partition were visited. */
  @FunctionalInterface
  interface BatchEnd {
    void afterBatch(TopicPartition partition, long position);
  }

  private final KafkaClients clients;
  private final KafkaConsumer<byte[], byte[]> consumer;

  TopicScanner(KafkaClients clients, KafkaConsumer<byte[], byte[]> consumer) {
    this.clients = clients;
    this.consumer = consumer;
  }

  /** The partitions of {@code topic} the filter can match, in order. */
  static List<TopicPartition> partitions(String topic, int count, DeadLetterFilter filter) {
    java.util.ArrayList<TopicPartition> result = new java.util.ArrayList<>();
    for (int p = 0; p < count; p++) {
      if (filter.partition() == null || filter.partition() == p) {
        result.add(new TopicPartition(topic, p));
      }
    }
    return result;
  }

  /** End offsets now; the scan stops there. */
  Map<TopicPartition, Long> ends(List<TopicPartition> partitions) {
    return clients.call(
        "read end offsets", () -> consumer.endOffsets(partitions, clients.timeout()));
  }

  /**
   * Where to start each partition: the first offset the filter can match (its offset range and its
   * {@code since}, through the time index), never before the log start.
   */
  Map<TopicPartition, Long> starts(List<TopicPartition> partitions, DeadLetterFilter filter) {
    Map<TopicPartition, Long> starts =
        new HashMap<>(
            clients.call(
                "read start offsets",
                () -> consumer.beginningOffsets(partitions, clients.timeout())));
    if (filter.since() != null) {
      Instant since = filter.since();
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(tp -> query.put(tp, since.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> found =
          clients.call(
              "look up offsets by time", () -> consumer.offsetsForTimes(query, clients.timeout()));
      Map<TopicPartition, Long> ends = ends(partitions);
      for (TopicPartition tp : partitions) {
        OffsetAndTimestamp at = found.get(tp);
        starts.merge(tp, at == null ? ends.get(tp) : at.offset(), Math::max);
      }
    }
    if (filter.fromOffset() != null) {
      partitions.forEach(tp -> starts.merge(tp, filter.fromOffset(), Math::max));
    }
    return starts;
  }

  /**
   * Visits the records of {@code partition} from {@code start} (inclusive) to {@code end}
   * (exclusive). Returns {@code false} when the visitor ended the scan.
   */
  boolean scan(TopicPartition partition, long start, long end, Visitor visitor, BatchEnd batchEnd) {
    if (start >= end) {
      return true;
    }
    consumer.assign(List.of(partition));
    consumer.seek(partition, start);
    long lastProgress = System.nanoTime();
    long position = start;
    while (position < end) {
      ConsumerRecords<byte[], byte[]> records = clients.call("poll", () -> consumer.poll(POLL));
      for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
        if (record.offset() >= end) {
          break;
        }
        if (!visitor.visit(record)) {
          return false;
        }
      }
      long now = clients.call("read the position", () -> consumer.position(partition));
      if (now > position) {
        position = now;
        lastProgress = System.nanoTime();
        batchEnd.afterBatch(partition, Math.min(position, end));
      } else if (System.nanoTime() - lastProgress > clients.timeout().toNanos()) {
        throw new BrokerUnavailableException(
            "No records from "
                + partition
                + " at offset "
                + position
                + " within "
                + dev.backstop.core.Durations.format(clients.timeout())
                + " although the partition ends at "
                + end
                + ": is the broker up?",
            null);
      }
    }
    return true;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
