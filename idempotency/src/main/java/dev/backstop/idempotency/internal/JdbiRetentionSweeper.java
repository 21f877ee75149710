package dev.backstop.idempotency.internal;

import dev.backstop.core.Health;
import dev.backstop.idempotency.IdempotencyConfig;
import dev.backstop.idempotency.RetentionSweeper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired rows batch by batch; each batch is one short transaction that first tries the
 * group's sweeper lock and stops the run when another instance holds it. Thread-safe.
 */
final class JdbiRetentionSweeper implements RetentionSweeper {
  private static final Logger LOG = LoggerFactory.getLogger(JdbiRetentionSweeper.class);

  private final JdbiIdempotencyStore store;
  private final IdempotencyConfig config;
  private final String lockName;
  private final AtomicReference<String> lastProblem = new AtomicReference<>();
  private final AtomicLong lastDeleted = new AtomicLong();
  private ScheduledExecutorService ownScheduler;
  private ScheduledFuture<?> task;

  JdbiRetentionSweeper(JdbiIdempotencyStore store) {
    this.store = store;
    this.config = store.config();
    UUID lock =
        UUID.nameUUIDFromBytes(
            ("backstop.idempotency.sweeper/" + config.tableName() + "/" + config.group())
                .getBytes(StandardCharsets.UTF_8));
    this.lockName = "backstop_sweep_" + lock.toString().replace("-", "");
  }

  /** Name of the group's sweeper lock. */
  String lockName() {
    return lockName;
  }

  @Override
  public SweepResult sweepOnce() {
    Instant now = store.clock().instant();
    Instant cutoff = now.minus(config.retention());
    SweepResult result = store.jdbi().withHandle(h -> sweep(h, now, cutoff));
    if (result.deleted() > 0) {
      store.metrics().swept(config.group(), result.deleted());
      LOG.debug("Swept {} expired rows of group {}", result.deleted(), config.group());
    }
    store.sizeEstimate();
    return result;
  }

  /** Every batch on one connection, so a session-level lock is released where it was taken. */
  private SweepResult sweep(Handle h, Instant now, Instant cutoff) {
    long deleted = 0;
    int batches = 0;
    while (true) {
      Optional<Integer> batch;
      try {
        batch = h.inTransaction(tx -> deleteBatch(tx, now, cutoff));
      } finally {
        unlock(h);
      }
      if (batch.isEmpty()) {
        return new SweepResult(deleted, batches, true);
      }
      batches++;
      deleted += batch.get();
      if (batch.get() < config.sweeperBatchSize()) {
        return new SweepResult(deleted, batches, false);
      }
    }
  }

  /** Deletes one batch; empty when another instance holds the sweeper lock. */
  private Optional<Integer> deleteBatch(Handle h, Instant now, Instant cutoff) {
    boolean locked =
        h.createQuery(store.sql().get("sweep_lock"))
            .bind("lock_name", lockName)
            .mapTo(Boolean.class)
            .one();
    if (!locked) {
      return Optional.empty();
    }
    Dialect dialect = store.dialect();
    return Optional.of(
        h.createUpdate(store.sql().get("sweep"))
            .bind("group", config.group())
            .bind("cutoff", dialect.timestamp(cutoff))
            .bind("now", dialect.timestamp(now))
            .bind("limit", config.sweeperBatchSize())
            .execute());
  }

  /** Dialects whose lock outlives the transaction release it here, on the same session. */
  private void unlock(Handle h) {
    store
        .sql()
        .find("sweep_unlock")
        .ifPresent(unlock -> h.createQuery(unlock).bind("lock_name", lockName).mapToMap().list());
  }

  @Override
  public synchronized void start() {
    if (task != null) {
      return;
    }
    ownScheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "backstop-idempotency-sweeper-" + config.group());
              t.setDaemon(true);
              return t;
            });
    start(ownScheduler);
  }

  @Override
  public synchronized void start(ScheduledExecutorService scheduler) {
    if (task != null) {
      return;
    }
    long interval = config.sweeperInterval().toMillis();
    task =
        scheduler.scheduleWithFixedDelay(
            this::runSafely, interval, interval, TimeUnit.MILLISECONDS);
  }

  private void runSafely() {
    try {
      SweepResult result = sweepOnce();
      lastProblem.set(null);
      lastDeleted.set(result.deleted());
    } catch (RuntimeException e) {
      lastProblem.set(e.toString());
      LOG.warn("Retention sweep of group {} failed; retrying next interval", config.group(), e);
    }
  }

  @Override
  public Health health() {
    String problem = lastProblem.get();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("group", config.group());
    details.put("lastDeleted", lastDeleted.get());
    if (problem != null) {
      details.put("error", problem);
      return new Health(
          Health.Status.DEGRADED,
          "retention sweep of group " + config.group() + " failed: the store grows",
          details);
    }
    return new Health(Health.Status.UP, "retention sweeper of group " + config.group(), details);
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
    if (ownScheduler != null) {
      ownScheduler.shutdown();
      ownScheduler = null;
    }
  }
}
