package dev.backstop.idempotency.internal;

import dev.backstop.core.RecordHandler;
import dev.backstop.idempotency.ClaimOutcome;
import dev.backstop.idempotency.IdempotencyStore;
import dev.backstop.idempotency.TransactionalRecordHandler;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transaction per record: claim, handle with the same handle, commit. Thread-safe when the
 * wrapped handler is.
 */
public final class TransactionalDecorator<K, V> implements RecordHandler<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalDecorator.class);

  private final Jdbi jdbi;
  private final IdempotencyStore store;
  private final KeyResolver<K, V> keys;
  private final TransactionalRecordHandler<K, V> handler;
  private final String group;

  /** Decorates the handler. */
  public TransactionalDecorator(
      Jdbi jdbi,
      IdempotencyStore store,
      KeyResolver<K, V> keys,
      TransactionalRecordHandler<K, V> handler) {
    this.jdbi = jdbi;
    this.store = store;
    this.keys = keys;
    this.handler = handler;
    this.group = store.config().group();
  }

  @Override
  public void handle(ConsumerRecord<K, V> record) throws Exception {
    Optional<String> key = keys.keyOf(record);
    ClaimOutcome outcome =
        jdbi.inTransaction(
            h -> {
              ClaimOutcome claim =
                  key.isPresent() ? store.claim(h, group, key.get()) : ClaimOutcome.UNTRACKED;
              if (claim.shouldProcess()) {
                handler.handle(h, record);
              }
              return claim;
            });
    Outcomes.count(store.metrics(), group, List.of(outcome));
    if (outcome == ClaimOutcome.DUPLICATE) {
      LOG.debug(
          "Skipped duplicate message {} of group {} at {}",
          key.get(),
          group,
          KeyResolver.name(record));
    }
  }
}
