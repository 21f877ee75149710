package dev.backstop.idempotency;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jdbi.v3.core.Handle;

/**
 * A record handler that does its database work through the given {@link Handle}: the handle is in
 * the transaction that holds the record's claim, so the handler's writes and the claim commit (or
 * roll back) together.
 *
 * <p>Implementations are called from the consumer's thread; they need to be thread-safe only if one
 * instance is shared by several consumers.
 *
 * @param <K> record key type
 * @param <V> record value type
 */
@FunctionalInterface
public interface TransactionalRecordHandler<K, V> {

  /**
   * Handles one record. Throwing rolls back the transaction, claim included, so a redelivery is
   * processed again.
   */
  void handle(Handle handle, ConsumerRecord<K, V> record) throws Exception;
}
