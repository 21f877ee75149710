package dev.backstop.dlq.internal;

import dev.backstop.dlq.DeadLetter;
import dev.backstop.dlq.DeadLetterFilter;
import dev.backstop.dlq.DlqException;
import dev.backstop.dlq.RecordAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;

/** Reads dead letters: one by address, or a filtered scan. Stateless and thread-safe. */
public final class DeadLetterReader {
  private DeadLetterReader() {}

  /** See {@link dev.backstop.dlq.DeadLetters#read(RecordAddress)}. */
  public static DeadLetter read(KafkaClients clients, RecordAddress address) {
    int partitions = clients.partitions(address.topic());
    if (address.partition() >= partitions) {
      throw new DlqException(
          "No record at "
              + address
              + ": topic "
              + address.topic()
              + " has partitions 0 to "
              + (partitions - 1));
    }
    TopicPartition tp = new TopicPartition(address.topic(), address.partition());
    try (TopicScanner scanner = new TopicScanner(clients, clients.consumer(null))) {
      long start = scanner.starts(List.of(tp), DeadLetterFilter.ALL).get(tp);
      long end = scanner.ends(List.of(tp)).get(tp);
      if (address.offset() < start || address.offset() >= end) {
        throw notFound(address, start, end);
      }
      DeadLetter[] found = new DeadLetter[1];
      scanner.scan(
          tp,
          address.offset(),
          end,
          record -> {
            if (record.offset() == address.offset()) {
              found[0] = DeadLetterDecoder.decode(record);
            }
            return false;
          },
          (p, position) -> {});
      if (found[0] == null) {
        throw notFound(address, start, end);
      }
      return found[0];
    }
  }

  private static DlqException notFound(RecordAddress address, long start, long end) {
    return new DlqException(
        "No record at "
            + address
            + ": partition "
            + address.partition()
            + (start >= end
                ? " is empty"
                : " holds offsets " + start + " to " + (end - 1) + " (older ones were deleted)"));
  }

  /** See {@link dev.backstop.dlq.DeadLetters#scan}. */
  public static long scan(
      KafkaClients clients, String topic, DeadLetterFilter filter, Consumer<DeadLetter> sink) {
    List<TopicPartition> partitions =
        TopicScanner.partitions(topic, clients.partitions(topic), filter);
    long[] matched = new long[1];
    try (TopicScanner scanner = new TopicScanner(clients, clients.consumer(null))) {
      Map<TopicPartition, Long> starts = scanner.starts(partitions, filter);
      Map<TopicPartition, Long> ends = scanner.ends(partitions);
      for (TopicPartition tp : partitions) {
        long end = ends.get(tp);
        if (filter.toOffset() != null) {
          end = Math.min(end, filter.toOffset() + 1);
        }
        boolean more =
            scanner.scan(
                tp,
                starts.get(tp),
                end,
                record -> {
                  DeadLetter letter = DeadLetterDecoder.decode(record);
                  if (filter.matches(letter)) {
                    matched[0]++;
                    sink.accept(letter);
                  }
                  return filter.limit() == null || matched[0] < filter.limit();
                },
                (p, position) -> {});
        if (!more) {
          break;
        }
      }
    }
    return matched[0];
  }
}
