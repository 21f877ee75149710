package dev.backstop.idempotency.internal;

import dev.backstop.idempotency.ClaimOutcome;
import dev.backstop.idempotency.IdempotencyConfig;
import dev.backstop.idempotency.IdempotencyException;
import dev.backstop.idempotency.IdempotencyMetrics;
import dev.backstop.idempotency.IdempotencyStore;
import dev.backstop.idempotency.Lease;
import dev.backstop.idempotency.LeaseLostException;
import dev.backstop.idempotency.RetentionSweeper;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The store on Jdbi; statements come from the dialect's SQL files. Thread-safe, stateless. */
public final class JdbiIdempotencyStore implements IdempotencyStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbiIdempotencyStore.class);
  private static final int LEASE_ATTEMPTS = 3;

  private final IdempotencyConfig config;
  private final Jdbi jdbi;
  private final Clock clock;
  private final IdempotencyMetrics metrics;
  private final Dialect dialect;
  private final StoreSql sql;

  private JdbiIdempotencyStore(
      IdempotencyConfig config, Jdbi jdbi, Clock clock, IdempotencyMetrics metrics) {
    this.config = config;
    this.jdbi = jdbi;
    this.clock = clock;
    this.metrics = metrics;
    this.dialect =
        config.dialect().equals("auto") ? Dialect.detect(jdbi) : Dialect.of(config.dialect());
    this.sql = new StoreSql(dialect, config.tableName());
  }

  /** Creates the store and checks (or creates) its table. */
  public static JdbiIdempotencyStore create(
      IdempotencyConfig config, Jdbi jdbi, Clock clock, IdempotencyMetrics metrics) {
    JdbiIdempotencyStore store = new JdbiIdempotencyStore(config, jdbi, clock, metrics);
    LOG.info("Idempotent consumer store: {}", config.describe());
    if (config.autoCreateSchema()) {
      store.createTable();
    }
    store.verifyTable();
    return store;
  }

  @Override
  public IdempotencyConfig config() {
    return config;
  }

  Dialect dialect() {
    return dialect;
  }

  StoreSql sql() {
    return sql;
  }

  Jdbi jdbi() {
    return jdbi;
  }

  Clock clock() {
    return clock;
  }

  @Override
  public IdempotencyMetrics metrics() {
    return metrics;
  }

  private void createTable() {
    jdbi.useTransaction(h -> h.createScript(sql.get("create")).execute());
  }

  private void verifyTable() {
    String table = config.tableName();
    boolean[] check =
        jdbi.withHandle(
            h ->
                h.createQuery(sql.get("check"))
                    .bind("table", table)
                    .map(
                        (rs, ctx) ->
                            new boolean[] {rs.getBoolean("present"), rs.getBoolean("keyed")})
                    .one());
    if (!check[0]) {
      throw new IdempotencyException(
          "Table "
              + table
              + " of the idempotent consumer does not exist: create it with the DDL in"
              + " dev/backstop/idempotency/"
              + dialect.name().toLowerCase(java.util.Locale.ROOT)
              + "/create.sql (see docs/idempotency.md), or set backstop.idempotency.auto-create-schema=true"
              + " for development");
    }
    if (!check[1]) {
      throw new IdempotencyException(
          "Table "
              + table
              + " has no primary key on (consumer_group, message_id): without it concurrent"
              + " consumers can both claim a message. Add the key from create.sql");
    }
    try {
      jdbi.useHandle(h -> h.createQuery(sql.get("columns")).mapToMap().list());
    } catch (JdbiException e) {
      throw new IdempotencyException(
          "Table "
              + table
              + " lacks columns of the idempotent consumer (consumer_group, message_id, claimed_at,"
              + " lease_until, lease_token): compare it with create.sql. "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public ClaimOutcome claim(Handle handle, String group, String key) {
    BatchClaims.checkKey(key, -1);
    int inserted =
        handle
            .createUpdate(sql.get("claim"))
            .bind("group", group)
            .bind("key", key)
            .bind("now", dialect.timestamp(clock.instant()))
            .execute();
    return inserted == 1 ? ClaimOutcome.CLAIMED : ClaimOutcome.DUPLICATE;
  }

  @Override
  public List<ClaimOutcome> claimAll(Handle handle, String group, List<String> keys) {
    List<String> distinct = BatchClaims.distinctSorted(keys);
    if (distinct.isEmpty()) {
      return List.of();
    }
    var statement =
        handle
            .createQuery(sql.get("claim_batch"))
            .bind("group", group)
            .bind("now", dialect.timestamp(clock.instant()));
    dialect.bindKeys(statement, "keys", distinct);
    List<String> claimed = statement.mapTo(String.class).list();
    return BatchClaims.outcomes(keys, claimed);
  }

  @Override
  public Lease acquireLease(String group, String key) {
    BatchClaims.checkKey(key, -1);
    for (int attempt = 1; ; attempt++) {
      Optional<Lease> lease = jdbi.inTransaction(h -> tryLease(h, group, key));
      if (lease.isPresent()) {
        if (lease.get().status() == Lease.Status.TAKEN_OVER) {
          metrics.leasesTakenOver(group, 1);
        }
        return lease.get();
      }
      if (attempt == LEASE_ATTEMPTS) {
        throw new IdempotencyException(
            "Could not acquire a lease on message "
                + key
                + " of group "
                + group
                + ": its row kept appearing and disappearing; retry the record");
      }
    }
  }

  /** One attempt; empty when the row vanished between statements (released or swept). */
  private Optional<Lease> tryLease(Handle h, String group, String key) {
    Instant now = clock.instant();
    Instant until = now.plus(config.leaseDuration());
    String token = UUID.randomUUID().toString();
    if (leaseUpdate(h, "lease_insert", group, key, token, now, until) == 1) {
      return Optional.of(new Lease(Lease.Status.ACQUIRED, group, key, token, until));
    }
    if (leaseUpdate(h, "lease_takeover", group, key, token, now, until) == 1) {
      return Optional.of(new Lease(Lease.Status.TAKEN_OVER, group, key, token, until));
    }
    Optional<Optional<Instant>> state =
        h.createQuery(sql.get("lease_state"))
            .bind("group", group)
            .bind("key", key)
            .map((rs, ctx) -> Optional.ofNullable(dialect.instant(rs, 1)))
            .findOne();
    return state.map(
        leaseUntil ->
            leaseUntil.isEmpty()
                ? new Lease(Lease.Status.DONE, group, key, null, null)
                : new Lease(Lease.Status.BUSY, group, key, null, leaseUntil.get()));
  }

  private int leaseUpdate(
      Handle h,
      String statement,
      String group,
      String key,
      String token,
      Instant now,
      Instant until) {
    return h.createUpdate(sql.get(statement))
        .bind("group", group)
        .bind("key", key)
        .bind("token", token)
        .bind("now", dialect.timestamp(now))
        .bind("until", dialect.timestamp(until))
        .execute();
  }

  @Override
  public void completeLease(Lease lease) {
    Instant now = clock.instant();
    if (fenced("lease_complete", lease, u -> u.bind("now", dialect.timestamp(now))) != 1) {
      throw new LeaseLostException(lease.key(), lease.group());
    }
  }

  @Override
  public void releaseLease(Lease lease) {
    fenced("lease_release", lease, u -> {});
  }

  @Override
  public Lease renewLease(Lease lease) {
    Instant until = clock.instant().plus(config.leaseDuration());
    if (fenced("lease_renew", lease, u -> u.bind("until", dialect.timestamp(until))) != 1) {
      throw new LeaseLostException(lease.key(), lease.group());
    }
    return new Lease(lease.status(), lease.group(), lease.key(), lease.token(), until);
  }

  /** Runs a statement on the lease's row, fenced by its token; returns the rows it matched. */
  private int fenced(String statement, Lease lease, Consumer<Update> extraBindings) {
    requireHeld(lease);
    return jdbi.withHandle(
        h -> {
          Update update =
              h.createUpdate(sql.get(statement))
                  .bind("group", lease.group())
                  .bind("key", lease.key())
                  .bind("token", lease.token());
          extraBindings.accept(update);
          return update.execute();
        });
  }

  private static void requireHeld(Lease lease) {
    if (!lease.status().isHeld()) {
      throw new IllegalArgumentException(
          "Lease on message " + lease.key() + " is " + lease.status() + ", not held by the caller");
    }
  }

  @Override
  public long sizeEstimate() {
    long rows =
        jdbi.withHandle(
            h ->
                h.createQuery(sql.get("size"))
                    .bind("table", config.tableName())
                    .mapTo(Long.class)
                    .findOne()
                    .orElse(0L));
    metrics.storeSize(rows);
    return rows;
  }

  @Override
  public RetentionSweeper sweeper() {
    return new JdbiRetentionSweeper(this);
  }
}
