package dev.backstop.idempotency;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Derives a business key (for example order id plus event type plus version) from a record whose
 * producer does not set {@code backstop.message-id}. Must be a pure function of the record's
 * content, so every redelivery and replay yields the same key; must be thread-safe.
 *
 * @param <K> record key type
 * @param <V> record value type
 */
@FunctionalInterface
public interface MessageKeyExtractor<K, V> {

  /**
   * The business key of the record, or {@code null} when the record has none (the configured {@link
   * MissingKeyPolicy} then applies).
   */
  String keyOf(ConsumerRecord<K, V> record);
}
