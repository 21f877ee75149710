package dev.backstop.retry.internal;

import dev.backstop.retry.Ordering;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The ordering key of a record under an {@link Ordering}: records with equal non-null keys of one
 * partition are handled one at a time, in offset order; a null key orders nothing. Stateless and
 * thread-safe.
 */
final class OrderKeys {

  /** The one key of every record of a partition, in {@link Ordering#PARTITION} mode. */
  private static final Object PARTITION = new Object();

  /** Record key bytes compared by content. */
  private record Bytes(byte[] bytes, int hash) {
    static Bytes of(byte[] bytes) {
      return new Bytes(bytes, Arrays.hashCode(bytes));
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Bytes that && hash == that.hash && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return "key of " + bytes.length + " bytes";
    }
  }

  private OrderKeys() {}

  /** The key of a record whose key bytes are {@code key}, compared by content; null for null. */
  static Object ofBytes(byte[] key) {
    return key == null ? null : Bytes.of(key);
  }

  static Object of(Ordering ordering, ConsumerRecord<byte[], byte[]> record) {
    return switch (ordering) {
      case KEY -> record.key() == null ? null : Bytes.of(record.key());
      case PARTITION -> PARTITION;
      case UNORDERED -> null;
    };
  }
}
