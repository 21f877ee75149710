package dev.backstop.idempotency;

import dev.backstop.idempotency.internal.MicrometerIdempotencyMetrics;

/**
 * Receives the idempotent consumer's counts. The default does nothing; {@link #micrometer} reports
 * to Micrometer (an optional dependency: only that method needs it on the classpath).
 * Implementations must be thread-safe and fast: they are called on the consumer's thread.
 */
public interface IdempotencyMetrics {

  /** Keys claimed (records processed for the first time) in a committed transaction. */
  default void claimed(String group, int count) {}

  /** Duplicates recognised and skipped, including duplicates inside a batch. */
  default void duplicates(String group, int count) {}

  /** Records processed without a claim because they had no key and the policy allows it. */
  default void untracked(String group, int count) {}

  /** Lease mode: expired leases of other consumers taken over. */
  default void leasesTakenOver(String group, int count) {}

  /** Rows deleted by the retention sweeper. */
  default void swept(String group, long count) {}

  /** The database's latest estimate of the number of rows in the store. */
  default void storeSize(long estimatedRows) {}

  /** Metrics that are dropped. */
  IdempotencyMetrics NONE = new IdempotencyMetrics() {};

  /**
   * Metrics reported to a Micrometer registry: counters {@code backstop.idempotency.claimed},
   * {@code .duplicates}, {@code .untracked}, {@code .lease.takeovers}, {@code .swept} (tag {@code
   * group}) and gauge {@code backstop.idempotency.store.size}.
   */
  static IdempotencyMetrics micrometer(io.micrometer.core.instrument.MeterRegistry registry) {
    return new MicrometerIdempotencyMetrics(registry);
  }
}
