package dev.backstop.idempotency;

import dev.backstop.core.Health;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Deletes a group's processed ids older than the retention, in batches of {@link
 * IdempotencyConfig#sweeperBatchSize()} rows, each batch its own short transaction. Only one
 * instance sweeps a group at a time (a database lock taken per batch, never waited for): when
 * another instance is sweeping, a run ends at once.
 *
 * <p>Thread-safe. {@link #start()} runs it every {@link IdempotencyConfig#sweeperInterval()} on a
 * daemon thread of its own until {@link #close()}.
 */
public interface RetentionSweeper extends AutoCloseable {

  /** Runs once: deletes expired rows until a batch comes back short or another instance sweeps. */
  SweepResult sweepOnce();

  /**
   * Starts sweeping every {@link IdempotencyConfig#sweeperInterval()} on a daemon thread of its
   * own; a failed run is logged and retried at the next interval.
   */
  void start();

  /**
   * Starts sweeping periodically on the given scheduler, which {@link #close()} does not shut down.
   */
  void start(ScheduledExecutorService scheduler);

  /**
   * {@code UP} while runs succeed (or none ran yet); {@code DEGRADED} after a failed run, with the
   * error, until a run succeeds again: the store keeps working, but grows.
   */
  Health health();

  /** Stops the periodic sweeping; a batch in progress finishes. */
  @Override
  void close();

  /**
   * What one run did. Immutable.
   *
   * @param deleted rows deleted
   * @param batches delete statements run
   * @param yielded whether the run stopped because another instance was sweeping
   */
  record SweepResult(long deleted, int batches, boolean yielded) {}
}
