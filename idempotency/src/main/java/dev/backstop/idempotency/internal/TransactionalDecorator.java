package dev.backstop.idempotency.internal;

import dev.backstop.core.RecordHandler;
import dev.backstop.idempotency.IdempotentBatchHandler;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One transaction per record: claim, handle with the same handle, commit. It is a batch of one, so
 * single records and batches share one code path. Thread-safe when the wrapped handler is.
 */
public final class TransactionalDecorator<K, V> implements RecordHandler<K, V> {
  private final IdempotentBatchHandler<K, V> batch;

  /** Decorates the batch handler's handler record by record. */
  public TransactionalDecorator(IdempotentBatchHandler<K, V> batch) {
    this.batch = batch;
  }

  @Override
  public void handle(ConsumerRecord<K, V> record) throws Exception {
    batch.handle(List.of(record));
  }
}
