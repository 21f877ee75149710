package dev.backstop.idempotency.internal;

import dev.backstop.idempotency.BatchResult;
import dev.backstop.idempotency.ClaimOutcome;
import dev.backstop.idempotency.IdempotencyStore;
import dev.backstop.idempotency.IdempotentBatchHandler;
import dev.backstop.idempotency.TransactionalRecordHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transaction and one claim statement per batch, then the handler per claimed record.
 * Thread-safe when the wrapped handler is.
 */
public final class BatchDecorator<K, V> implements IdempotentBatchHandler<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(BatchDecorator.class);

  private final Jdbi jdbi;
  private final IdempotencyStore store;
  private final KeyResolver<K, V> keys;
  private final TransactionalRecordHandler<K, V> handler;
  private final String group;

  /** Decorates the handler. */
  public BatchDecorator(
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
  public BatchResult<K, V> handle(Iterable<ConsumerRecord<K, V>> records) throws Exception {
    List<ConsumerRecord<K, V>> list = new ArrayList<>();
    List<Optional<String>> recordKeys = new ArrayList<>();
    List<String> tracked = new ArrayList<>();
    for (ConsumerRecord<K, V> record : records) {
      Optional<String> key = keys.keyOf(record);
      list.add(record);
      recordKeys.add(key);
      key.ifPresent(tracked::add);
    }
    if (list.isEmpty()) {
      return new BatchResult<>(List.of(), List.of());
    }
    List<ClaimOutcome> outcomes =
        jdbi.inTransaction(h -> claimAndHandle(h, list, recordKeys, tracked));
    ClaimOutcomeReporter.count(store.metrics(), group, outcomes);
    if (LOG.isDebugEnabled()) {
      for (int i = 0; i < list.size(); i++) {
        if (!outcomes.get(i).shouldProcess()) {
          LOG.debug(
              "Skipped {} message {} of group {} at {}",
              outcomes.get(i),
              recordKeys.get(i).orElse(""),
              group,
              KeyResolver.name(list.get(i)));
        }
      }
    }
    return new BatchResult<>(list, outcomes);
  }

  private List<ClaimOutcome> claimAndHandle(
      Handle h,
      List<ConsumerRecord<K, V>> records,
      List<Optional<String>> recordKeys,
      List<String> tracked)
      throws Exception {
    List<ClaimOutcome> claims =
        switch (tracked.size()) {
          case 0 -> List.of();
          case 1 -> List.of(store.claim(h, group, tracked.get(0))); // the cheaper statement
          default -> store.claimAll(h, group, tracked);
        };
    List<ClaimOutcome> outcomes = new ArrayList<>(records.size());
    int next = 0;
    for (Optional<String> key : recordKeys) {
      outcomes.add(key.isPresent() ? claims.get(next++) : ClaimOutcome.UNTRACKED);
    }
    for (int i = 0; i < records.size(); i++) {
      if (outcomes.get(i).shouldProcess()) {
        try {
          handler.handle(h, records.get(i));
        } catch (Exception e) {
          LOG.warn(
              "Handler failed on record {}; its transaction rolls back with the claims of all {}"
                  + " record(s) handled in it",
              KeyResolver.name(records.get(i)),
              records.size());
          throw e;
        }
      }
    }
    return outcomes;
  }
}
