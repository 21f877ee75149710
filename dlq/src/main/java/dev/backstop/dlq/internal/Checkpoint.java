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
 * A replay's progress, kept as committed offsets of a consumer group named after the replay. The
 * offset of a partition is the first record not yet acknowledged; the metadata holds how many dead
 * letters the replay selected before it ({@code selected=N}), so a {@code --limit} survives a
 * restart. Not thread-safe: used by the replay thread.
 */
final class Checkpoint {
  private static final String SELECTED = "selected=";

  private final KafkaClients clients;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String group;

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
        try {
          max = Math.max(max, Long.parseLong(meta.substring(SELECTED.length())));
        } catch (NumberFormatException e) {
          // metadata written by something else: count nothing
        }
      }
    }
    return max;
  }

  /** Records that everything before {@code offset} of {@code partition} is done. */
  void commit(TopicPartition partition, long offset, long selected) {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        Map.of(partition, new OffsetAndMetadata(offset, SELECTED + selected));
    clients.call(
        "write the replay checkpoint " + group,
        () -> {
          consumer.commitSync(offsets, clients.timeout());
          return null;
        });
  }

  private Map<TopicPartition, OffsetAndMetadata> committed(List<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> found =
        clients.call(
            "read the replay checkpoint " + group,
            () -> consumer.committed(Set.copyOf(partitions), clients.timeout()));
    Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
    found.forEach(
        (tp, om) -> {
          if (om != null) {
            result.put(tp, om);
          }
        });
    return result;
  }
}
