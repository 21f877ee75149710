package dev.backstop.dlq;

import java.util.List;

/**
 * A key that a consumer group in key-order mode holds behind one record (its head): the head waits
 * in a retry tier ({@code retrying}) or in the dead-letter topic ({@code dead-lettered}), and the
 * key's later records wait behind it, in order, until it succeeds (a replay of a dead-lettered head
 * releases them). Immutable.
 *
 * @param group the consumer group that holds the key
 * @param key the record key, escaped for a terminal
 * @param headMessageId the message id of the head record (find it in the dead-letter topic)
 * @param status {@code retrying} or {@code dead-lettered}; {@code released} when the head succeeded
 *     and held records are still being handled
 * @param partition the source partition
 * @param held the records that wait behind the head, in the order they will be handled
 */
public record HeldKey(
    String group,
    String key,
    String headMessageId,
    String status,
    int partition,
    List<HeldRecord> held) {

  /** A record waiting behind a head: its message id and where it was consumed. */
  public record HeldRecord(String messageId, String topic, int partition, long offset) {
    @Override
    public String toString() {
      return topic + "/" + partition + "/" + offset;
    }
  }

  public HeldKey {
    held = List.copyOf(held);
  }
}
