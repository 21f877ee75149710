package dev.backstop.idempotency;

import dev.backstop.core.RecordHandler;
import dev.backstop.idempotency.internal.BatchDecorator;
import dev.backstop.idempotency.internal.KeyResolver;
import dev.backstop.idempotency.internal.LeaseDecorator;
import dev.backstop.idempotency.internal.TransactionalDecorator;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/**
 * Decorates a record handler so each message is applied once per consumer group. The result is a
 * core {@link RecordHandler}: call it from a plain {@code KafkaConsumer} poll loop (commit the
 * offset after it returns) or give it to the consumer wrapper.
 *
 * <pre>{@code
 * RecordHandler<String, String> handler =
 *     IdempotentHandler.<String, String>builder(jdbi, store)
 *         .transactional((handle, record) ->
 *             handle.execute("INSERT INTO payments (order_id) VALUES (?)", record.key()));
 * }</pre>
 *
 * <p>The builder is not thread-safe; the handlers it builds are thread-safe when the wrapped
 * handler is.
 *
 * @param <K> record key type
 * @param <V> record value type
 */
public final class IdempotentHandler<K, V> {
  private final Jdbi jdbi;
  private final IdempotencyStore store;
  private MessageKeyExtractor<K, V> extractor;

  private IdempotentHandler(Jdbi jdbi, IdempotencyStore store) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Starts a decorator over the given Jdbi (which opens the transactions) and store. */
  public static <K, V> IdempotentHandler<K, V> builder(Jdbi jdbi, IdempotencyStore store) {
    return new IdempotentHandler<>(jdbi, store);
  }

  /**
   * Derives a business key for records without a {@code backstop.message-id} header. Without one,
   * such records follow {@link IdempotencyConfig#missingKey()}.
   */
  public IdempotentHandler<K, V> keyExtractor(MessageKeyExtractor<K, V> keyExtractor) {
    this.extractor = keyExtractor;
    return this;
  }

  private KeyResolver<K, V> keys() {
    return new KeyResolver<>(extractor, store.config().missingKey());
  }

  /**
   * Per record: opens a transaction, claims the record's key, runs the handler with the same {@code
   * Handle}, commits. A duplicate is skipped (and counted) and the call returns normally, so the
   * caller commits past it. When the handler throws, the claim rolls back with its writes and the
   * exception propagates; a record that cannot be keyed raises {@link
   * UnidentifiableRecordException} before anything runs.
   */
  public RecordHandler<K, V> transactional(TransactionalRecordHandler<K, V> handler) {
    return new TransactionalDecorator<>(batch(handler));
  }

  /**
   * Per polled batch: one transaction, one claim statement for the whole batch, then the handler
   * for each record that was claimed, with the same {@code Handle}; duplicates inside the batch and
   * against the store are skipped. If the handler throws, the whole batch's transaction (claims
   * included) rolls back and the exception propagates: do not commit the batch's offsets.
   */
  public IdempotentBatchHandler<K, V> batch(TransactionalRecordHandler<K, V> handler) {
    return new BatchDecorator<>(jdbi, store, keys(), handler);
  }

  /**
   * Lease mode, for side effects outside the database (an HTTP call): takes a lease on the key in a
   * short transaction, runs the effect outside any transaction, then marks the key done. A
   * completed key is skipped; a key another consumer holds a live lease on raises {@link
   * LeaseHeldException} (do not commit past it; retry later); an expired lease is taken over. If
   * the effect throws, the lease is released so a redelivery runs it again.
   *
   * <p>This narrows, but cannot close, the window for running an effect twice: pass the key to the
   * downstream system as its idempotency key.
   */
  public RecordHandler<K, V> leased(RecordHandler<K, V> effect) {
    return new LeaseDecorator<>(store, keys(), effect);
  }
}
