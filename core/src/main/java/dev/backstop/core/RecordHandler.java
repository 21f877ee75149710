package dev.backstop.core;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Processes one consumed record. Throwing means the record failed; the consumer wrapper then
 * classifies the exception and retries or dead-letters the record. Decorators (for example the
 * idempotent-consumer guard) wrap one handler in another.
 *
 * <p>Thread-safety: the consumer wrapper calls a handler from several worker threads at once (calls
 * of one key, or one partition, never overlap), so an implementation must be thread-safe.
 *
 * @param <K> record key type
 * @param <V> record value type
 */
@FunctionalInterface
public interface RecordHandler<K, V> {
  /** Handles {@code record}; throws to signal failure. */
  void handle(ConsumerRecord<K, V> record) throws Exception;
}
