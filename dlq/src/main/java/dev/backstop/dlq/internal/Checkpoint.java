package dev.backstop.dlq.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A replay's progress, kept as offsets of a consumer group named after the replay and committed in
 * the same Kafka transaction as the replayed records. The offset of a partition is the first record
 * not yet replayed; the metadata holds how many dead letters the replay had selected in all ({@code
 * selected=N}), so a {@code --limit} survives a restart. Read with a {@code read_committed}
 * consumer, so the offsets of a transaction still open are never taken. Not thread-safe: used by
 * the replay thread.
 */
final class Checkpoint {
  private static final String SELECTED = "selected=";

  private final KafkaClients clients;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String group;
  private Map<TopicPartition, OffsetAndMetadata> committed;

  Checkpoint(KafkaClients clients, KafkaConsumer<byte[], byte[]> consumer, String group) {
    this.clients = clients;
    this.consumer = consumer;
    this.group = group;
  }

  /** {@code prefix} plus the first 16 hex digits of the SHA-256 of the replay's identity. */
  static String groupFor(String prefix, String identity) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return prefix + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  /**
   * The offsets and metadata that record a replay up to {@code offset}, {@code selected} in all.
   */
  static OffsetAndMetadata at(long offset, long selected) {
    return new OffsetAndMetadata(offset, SELECTED + selected);
  }

  String group() {
    return group;
  }

  /** Committed positions, for partitions that have one. */
  Map<TopicPartition, Long> positions(List<TopicPartition> partitions) {
    Map<TopicPartition, Long> result = new HashMap<>();
    committed(partitions).forEach((tp, om) -> result.put(tp, om.offset()));
    return result;
  }

  /** Dead letters selected by earlier runs (the largest count recorded on any partition). */
  long selectedBefore(List<TopicPartition> partitions) {
    long max = 0;
    for (OffsetAndMetadata om : committed(partitions).values()) {
      String meta = om.metadata();
      if (meta != null && meta.startsWith(SELECTED)) {
        int end = meta.indexOf(';');
        try {
          max =
              Math.max(
                  max,
                  Long.parseLong(meta.substring(SELECTED.length(), end < 0 ? meta.length() : end)));
        } catch (NumberFormatException e) {
          // metadata written by something else: count nothing
        }
      }
    }
    return max;
  }

  private Map<TopicPartition, OffsetAndMetadata> committed(List<TopicPartition> partitions) {
    if (committed == null) {
      Map<TopicPartition, OffsetAndMetadata> found =
          clients.call(
              "read the replay checkpoint " + group,
              () -> consumer.committed(Set.copyOf(partitions), clients.timeout()));
      committed = new HashMap<>();
      found.forEach(
          (tp, om) -> {
            if (om != null) {
              committed.put(tp, om);
            }
          });
    }
    return committed;
  }
}
