package dev.backstop.spring.internal;

import dev.backstop.core.RecordHandler;
import dev.backstop.idempotency.IdempotencyStore;
import dev.backstop.idempotency.IdempotentHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jdbi.v3.core.Jdbi;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a handler in a Spring transaction that first claims the record's message id: a duplicate is
 * skipped, and the handler's writes ({@code JdbcTemplate}, the outbox) commit with the claim or
 * roll back with it. Thread-safe when the handler is.
 *
 * @param <K> record key type
 * @param <V> record value type
 */
public final class SpringIdempotentHandler<K, V> implements RecordHandler<K, V> {
  private final RecordHandler<K, V> claimed;
  private final TransactionTemplate transactions;

  /** Decorates {@code handler}; {@code jdbi} must come from {@link SpringJdbi#on}. */
  public SpringIdempotentHandler(
      RecordHandler<K, V> handler,
      IdempotencyStore store,
      Jdbi jdbi,
      TransactionTemplate transactions) {
    this.claimed =
        IdempotentHandler.<K, V>builder(jdbi, store)
            .transactional((handle, record) -> handler.handle(record));
    this.transactions = transactions;
  }

  @Override
  public void handle(ConsumerRecord<K, V> record) throws Exception {
    try {
      transactions.executeWithoutResult(
          status -> {
            try {
              claimed.handle(record);
            } catch (RuntimeException e) {
              throw e;
            } catch (Exception e) {
              throw new Checked(e);
            }
          });
    } catch (Checked e) {
      throw (Exception) e.getCause();
    }
  }

  /** Carries a checked exception of the handler out of the transaction callback. */
  private static final class Checked extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Checked(Exception cause) {
      super(cause);
    }
  }
}
