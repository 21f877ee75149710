package dev.backstop.idempotency;

/**
 * Names of the idempotent consumer's meters (Micrometer) and of their tags. The counters are tagged
 * {@link #TAG_GROUP}; the store-size gauge has no tag. Constants only; thread-safe.
 */
public final class IdempotencyMetricNames {

  /** Counter: records processed for the first time (claim committed). */
  public static final String CLAIMED = "backstop.idempotency.claimed";

  /** Counter: duplicates skipped. */
  public static final String DUPLICATES = "backstop.idempotency.duplicates";

  /** Counter: records processed without a claim ({@code missing-key=no-dedup}). */
  public static final String UNTRACKED = "backstop.idempotency.untracked";

  /** Counter: expired leases taken over from a crashed consumer. */
  public static final String LEASE_TAKEOVERS = "backstop.idempotency.lease.takeovers";

  /** Counter: rows deleted by the retention sweeper. */
  public static final String SWEPT = "backstop.idempotency.swept";

  /** Gauge: estimated number of rows in the processed-message store. */
  public static final String STORE_SIZE = "backstop.idempotency.store.size";

  /** Tag of the counters: the idempotency group. */
  public static final String TAG_GROUP = "group";

  private IdempotencyMetricNames() {}
}
