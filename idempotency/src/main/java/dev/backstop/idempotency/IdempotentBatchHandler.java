package dev.backstop.idempotency;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Handles a polled batch in one transaction with one claim statement; see {@link
 * IdempotentHandler#batch}. Thread-safe when the wrapped handler is.
 *
 * @param <K> record key type
 * @param <V> record value type
 */
@FunctionalInterface
public interface IdempotentBatchHandler<K, V> {

  /**
   * Claims and handles the records (for example a {@code ConsumerRecords} from {@code poll}).
   *
   * @return one outcome per record, in order
   * @throws UnidentifiableRecordException when a record cannot be keyed (nothing ran)
   * @throws Exception what the handler threw (the batch's transaction rolled back)
   */
  BatchResult<K, V> handle(Iterable<ConsumerRecord<K, V>> records) throws Exception;
}
