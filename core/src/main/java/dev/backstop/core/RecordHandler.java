package dev.backstop.core;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Processes one consumed record. Throwing means the record failed; the consumer wrapper then
 * classifies the exception and retries or dead-letters the record. Decorators (for example the
 * idempotent-consumer guard) wrap one handler in another.
 *
 * <p>Thread-safety: an implementation is called from the consumer's thread; an implementation
 * shared between consumers must be thread-safe.
 *
 * @param <K> record key type
 * @param <V> record value type
 */
@FunctionalInterface
public interface RecordHandler<K, V> {
  /** Handles {@code record}; throws to signal failure. */
  void handle(ConsumerRecord<K, V> record) throws Exception;
}
