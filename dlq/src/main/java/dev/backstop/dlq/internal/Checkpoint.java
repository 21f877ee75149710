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
  private static final String ACKED = ";acked=";

  /** Kafka's default {@code offset.metadata.max.bytes} is 4096; stay well below it. */
  private static final int MAX_METADATA = 3000;

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

  /** Offsets above each committed position that an earlier run already had acknowledged. */
  Map<TopicPartition, Set<Long>> acknowledgedAbove(List<TopicPartition> partitions) {
    Map<TopicPartition, Set<Long>> result = new HashMap<>();
    committed(partitions)
        .forEach(
            (tp, om) -> {
              String meta = om.metadata();
              int at = meta == null ? -1 : meta.indexOf(ACKED);
              if (at < 0) {
                return;
              }
              Set<Long> offsets = new java.util.HashSet<>();
              for (String range : meta.substring(at + ACKED.length()).split(",")) {
                String[] ends = range.split("-");
                try {
                  long from = Long.parseLong(ends[0]);
                  long to = Long.parseLong(ends[ends.length - 1]);
                  for (long o = from; o <= to; o++) {
                    offsets.add(o);
                  }
                } catch (NumberFormatException e) {
                  // metadata written by something else: skip nothing
                }
              }
              result.put(tp, offsets);
            });
    return result;
  }

  /**
   * Records that everything before {@code offset} of {@code partition} is done, and which offsets
   * above it were acknowledged already.
   */
  void commit(TopicPartition partition, long offset, long selected, List<long[]> ackedAbove) {
    StringBuilder meta = new StringBuilder(SELECTED).append(selected);
    String separator = ACKED;
    for (long[] range : ackedAbove) {
      String text = range[0] == range[1] ? range[0] + "" : range[0] + "-" + range[1];
      if (meta.length() + separator.length() + text.length() > MAX_METADATA) {
        break; // too many gaps to record: a resume may resend the rest (same message ids)
      }
      meta.append(separator).append(text);
      separator = ",";
    }
    Map<TopicPartition, OffsetAndMetadata> offsets =
        Map.of(partition, new OffsetAndMetadata(offset, meta.toString()));
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
