package dev.backstop.idempotency;

import dev.backstop.idempotency.internal.JdbiIdempotencyStore;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The processed-message store: one row per (consumer group, message key) that was processed.
 *
 * <p>{@link #claim} and {@link #claimAll} run one statement inside the caller's transaction and
 * never abort it: a duplicate is a result, not an error. A concurrent claimer of the same key waits
 * until the first transaction ends and then sees {@link ClaimOutcome#DUPLICATE} (if it committed)
 * or claims the key (if it rolled back). This needs READ COMMITTED, the default of PostgreSQL and
 * of the stores' documentation; under REPEATABLE READ or SERIALIZABLE the waiting claimer gets a
 * serialization failure instead.
 *
 * <p>Lease mode ({@link #acquireLease}, {@link #completeLease}, {@link #releaseLease}) is for side
 * effects outside the database; each call runs in its own short transaction.
 *
 * <p>Thread-safe: one instance serves every consumer thread of the application.
 */
public interface IdempotencyStore {

  /**
   * Creates a store; checks that its table exists with its primary key, creating it first when
   * {@link IdempotencyConfig#autoCreate()} is set.
   *
   * @throws IdempotencyException when the table or its primary key is missing
   */
  static IdempotencyStore create(IdempotencyConfig config, Jdbi jdbi) {
    return builder(config, jdbi).build();
  }

  /** Starts a builder for a store with an injected clock or metrics. */
  static Builder builder(IdempotencyConfig config, Jdbi jdbi) {
    return new Builder(config, jdbi);
  }

  /** Assembles an {@link IdempotencyStore}. Not thread-safe; use from one thread. */
  final class Builder {
    private final IdempotencyConfig config;
    private final Jdbi jdbi;
    private Clock clock = Clock.systemUTC();
    private IdempotencyMetrics metrics = IdempotencyMetrics.NONE;

    private Builder(IdempotencyConfig config, Jdbi jdbi) {
      this.config = Objects.requireNonNull(config, "config");
      this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /**
     * The clock of claim times, leases and the sweeper's cut-off; the system UTC clock if unset.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where the store and its handlers report; {@link IdempotencyMetrics#NONE} if unset. */
    public Builder metrics(IdempotencyMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * Creates the store, as {@link IdempotencyStore#create(IdempotencyConfig, Jdbi)} does.
     *
     * @throws IdempotencyException when the table or its primary key is missing
     */
    public IdempotencyStore build() {
      return JdbiIdempotencyStore.create(config, jdbi, clock, metrics);
    }
  }

  /** The configuration this store was created with. */
  IdempotencyConfig config();

  /** The metrics this store, and the handlers built on it, report to. */
  IdempotencyMetrics metrics();

  /**
   * Claims one key for the group, in the caller's transaction.
   *
   * @return {@link ClaimOutcome#CLAIMED} or {@link ClaimOutcome#DUPLICATE}
   * @throws IllegalArgumentException when the key is blank or longer than {@link
   *     IdempotencyConfig#MAX_KEY_LENGTH}
   */
  ClaimOutcome claim(Handle handle, String group, String key);

  /**
   * Claims a batch of keys with one statement, in the caller's transaction. The result has one
   * outcome per input position: {@link ClaimOutcome#CLAIMED} for the first occurrence of a new key,
   * {@link ClaimOutcome#DUPLICATE_IN_BATCH} for its later occurrences, {@link
   * ClaimOutcome#DUPLICATE} for keys already in the store.
   *
   * @throws IllegalArgumentException when a key is null, blank or too long (nothing is claimed)
   */
  List<ClaimOutcome> claimAll(Handle handle, String group, List<String> keys);

  /**
   * Lease mode: takes a lease of {@link IdempotencyConfig#leaseDuration()} on the key, or takes
   * over an expired one, in its own short transaction.
   */
  Lease acquireLease(String group, String key);

  /**
   * Lease mode: marks the message done, fenced by the lease's token.
   *
   * @throws LeaseLostException when another consumer took the lease over meanwhile
   */
  void completeLease(Lease lease);

  /** Lease mode: gives the lease up (the effect failed) so a redelivery can run it again. */
  void releaseLease(Lease lease);

  /**
   * Lease mode: extends a held lease by another {@link IdempotencyConfig#leaseDuration()} from now.
   *
   * @return the lease with its new expiry
   * @throws LeaseLostException when another consumer took the lease over meanwhile
   */
  Lease renewLease(Lease lease);

  /** The database's estimate of the number of rows in the store (all groups); cheap. */
  long sizeEstimate();

  /** A sweeper that deletes this group's rows older than the retention. */
  RetentionSweeper sweeper();
}
