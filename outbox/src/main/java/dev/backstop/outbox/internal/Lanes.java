package dev.backstop.outbox.internal;

import java.util.UUID;
import org.apache.kafka.common.utils.Utils;

/**
 * Maps a message to its lane: {@code murmur2(key) mod lanes}, the hash Kafka's default partitioner
 * uses, so one key always lands in one lane. A message without a key has no order to keep; it is
 * spread by its id. Stateless.
 */
final class Lanes {

  private Lanes() {}

  /** The lane of {@code key} (or of {@code messageId} when the key is null) among {@code lanes}. */
  public static int laneOf(byte[] key, UUID messageId, int lanes) {
    if (key == null) {
      return (int) Long.remainderUnsigned(messageId.getLeastSignificantBits(), lanes);
    }
    return Utils.toPositive(Utils.murmur2(key)) % lanes;
  }
}
