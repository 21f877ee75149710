package dev.backstop.idempotency.internal;

import static dev.backstop.idempotency.IdempotencyMetricNames.CLAIMED;
import static dev.backstop.idempotency.IdempotencyMetricNames.DUPLICATES;
import static dev.backstop.idempotency.IdempotencyMetricNames.LEASE_TAKEOVERS;
import static dev.backstop.idempotency.IdempotencyMetricNames.STORE_SIZE;
import static dev.backstop.idempotency.IdempotencyMetricNames.SWEPT;
import static dev.backstop.idempotency.IdempotencyMetricNames.TAG_GROUP;
import static dev.backstop.idempotency.IdempotencyMetricNames.UNTRACKED;

import dev.backstop.idempotency.IdempotencyMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The only class of the module that touches Micrometer; names from {@link
 * dev.backstop.idempotency.IdempotencyMetricNames}. Thread-safe.
 */
public final class MicrometerIdempotencyMetrics implements IdempotencyMetrics {

  private final MeterRegistry registry;
  private final AtomicLong storeSize = new AtomicLong();

  /** Metrics registered in the given registry. */
  public MicrometerIdempotencyMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(STORE_SIZE, storeSize, AtomicLong::get)
        .description("estimated rows in the processed-message store")
        .register(registry);
  }

  private Counter counter(String name, String group) {
    return Counter.builder(name).tag(TAG_GROUP, group).register(registry);
  }

  @Override
  public void claimed(String group, int count) {
    counter(CLAIMED, group).increment(count);
  }

  @Override
  public void duplicates(String group, int count) {
    counter(DUPLICATES, group).increment(count);
  }

  @Override
  public void untracked(String group, int count) {
    counter(UNTRACKED, group).increment(count);
  }

  @Override
  public void leasesTakenOver(String group, int count) {
    counter(LEASE_TAKEOVERS, group).increment(count);
  }

  @Override
  public void swept(String group, long count) {
    counter(SWEPT, group).increment(count);
  }

  @Override
  public void storeSize(long estimatedRows) {
    storeSize.set(estimatedRows);
  }
}
