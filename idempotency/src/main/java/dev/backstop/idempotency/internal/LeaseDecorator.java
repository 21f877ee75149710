package dev.backstop.idempotency.internal;

import dev.backstop.core.RecordHandler;
import dev.backstop.idempotency.ClaimOutcome;
import dev.backstop.idempotency.IdempotencyStore;
import dev.backstop.idempotency.Lease;
import dev.backstop.idempotency.LeaseHeldException;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Lease mode: lease, run the effect outside any transaction, complete (or release on failure).
 * Thread-safe when the wrapped effect is.
 */
public final class LeaseDecorator<K, V> implements RecordHandler<K, V> {
  private final IdempotencyStore store;
  private final KeyResolver<K, V> keys;
  private final RecordHandler<K, V> effect;
  private final String group;

  /** Decorates the effect. */
  public LeaseDecorator(
      IdempotencyStore store, KeyResolver<K, V> keys, RecordHandler<K, V> effect) {
    this.store = store;
    this.keys = keys;
    this.effect = effect;
    this.group = store.config().group();
  }

  @Override
  public void handle(ConsumerRecord<K, V> record) throws Exception {
    Optional<String> key = keys.keyOf(record);
    if (key.isEmpty()) {
      effect.handle(record);
      ClaimOutcomeReporter.count(store.metrics(), group, List.of(ClaimOutcome.UNTRACKED));
      return;
    }
    Lease lease = store.acquireLease(group, key.get());
    switch (lease.status()) {
      case DONE ->
          ClaimOutcomeReporter.count(store.metrics(), group, List.of(ClaimOutcome.DUPLICATE));
      case BUSY ->
          throw new LeaseHeldException(key.get(), lease.leaseUntil(), KeyResolver.name(record));
      case ACQUIRED, TAKEN_OVER -> runHeld(record, lease);
    }
  }

  private void runHeld(ConsumerRecord<K, V> record, Lease lease) throws Exception {
    try {
      effect.handle(record);
    } catch (Exception | Error e) {
      try {
        store.releaseLease(lease);
      } catch (RuntimeException releaseFailure) {
        e.addSuppressed(releaseFailure);
      }
      throw e;
    }
    store.completeLease(lease);
    ClaimOutcomeReporter.count(store.metrics(), group, List.of(ClaimOutcome.CLAIMED));
  }
}
