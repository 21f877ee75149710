package dev.backstop.idempotency.internal;

import dev.backstop.idempotency.IdempotencyMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** The only class of the module that touches Micrometer. Thread-safe. */
public final class MicrometerIdempotencyMetrics implements IdempotencyMetrics {

  /** Counter of claimed keys. */
  public static final String CLAIMED = "backstop.idempotency.claimed";

  /** Counter of skipped duplicates. */
  public static final String DUPLICATES = "backstop.idempotency.duplicates";

  /** Counter of records processed without a claim. */
  public static final String UNTRACKED = "backstop.idempotency.untracked";

  /** Counter of expired leases taken over. */
  public static final String LEASE_TAKEOVERS = "backstop.idempotency.lease.takeovers";

  /** Counter of rows deleted by the sweeper. */
  public static final String SWEPT = "backstop.idempotency.swept";

  /** Gauge of the estimated number of rows in the store. */
  public static final String STORE_SIZE = "backstop.idempotency.store.size";

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
    return Counter.builder(name).tag("group", group).register(registry);
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
