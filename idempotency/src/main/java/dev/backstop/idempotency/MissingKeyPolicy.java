package dev.backstop.idempotency;

import java.util.Locale;

/**
 * What the idempotent handler does with a record that has neither a {@code backstop.message-id}
 * header nor a business key from the configured extractor. Immutable and thread-safe.
 */
public enum MissingKeyPolicy {
  /** Reject the record with an {@link UnidentifiableRecordException} naming it (the default). */
  REJECT,
  /**
   * Use {@code topic/partition/offset} as the key. Only safe when nothing republishes the message
   * (no producer retries without idempotence, no retry topics, no dead-letter replay): a
   * republished copy has a new offset and is processed again.
   */
  OFFSET,
  /** Process the record without a claim; it is counted, and a redelivery is processed again. */
  NO_DEDUP;

  /** The value used in properties: {@code reject}, {@code offset} or {@code no-dedup}. */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static MissingKeyPolicy fromConfig(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
