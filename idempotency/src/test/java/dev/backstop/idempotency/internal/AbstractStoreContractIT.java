package dev.backstop.idempotency.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.DuplicateSignal;
import dev.backstop.core.MessageId;
import dev.backstop.core.RecordHandler;
import dev.backstop.idempotency.BatchResult;
import dev.backstop.idempotency.ClaimOutcome;
import dev.backstop.idempotency.IdempotencyConfig;
import dev.backstop.idempotency.IdempotencyMetrics;
import dev.backstop.idempotency.IdempotencyStore;
import dev.backstop.idempotency.IdempotentHandler;
import dev.backstop.idempotency.RetentionSweeper.SweepResult;
import dev.backstop.testkit.ManualClock;
import dev.backstop.testkit.TestDatabase;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store's contract, run against every dialect: concurrent claims, rollback with the handler,
 * batch claims, the sweeper. Subclasses pick the database with {@code @BackstopDatabase}.
 */
abstract class AbstractStoreContractIT {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  static TestDatabase db;
  static Jdbi jdbi;
  static ManualClock clock;
  static CountingMetrics metrics;
  static IdempotencyStore store;
  static ExecutorService threads;

  @BeforeAll
  static void setUp(TestDatabase database) {
    db = database;
    jdbi = Jdbi.create(db.dataSource());
    clock = ManualClock.at(START);
    metrics = new CountingMetrics();
    store = store("contract", true);
    jdbi.useHandle(
        h -> h.execute("CREATE TABLE effects (tag VARCHAR(100) NOT NULL, note VARCHAR(100))"));
    threads = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void tearDown() {
    threads.shutdownNow();
  }

  private static String dialect() {
    return db.kind() == TestDatabase.Kind.POSTGRESQL ? "postgresql" : "mariadb";
  }

  /** Sessions of this test's database that wait for a row lock. */
  abstract int sessionsWaitingForLocks(Handle handle);

  /** Refreshes the database's statistics of the store's table. */
  abstract void analyze(Handle handle);

  /** A Jdbi opening a new connection each time, for more concurrent transactions than the pool. */
  static Jdbi unpooled() {
    Properties props = new Properties();
    props.setProperty("user", db.user());
    props.setProperty("password", db.password());
    if (db.kind() == TestDatabase.Kind.POSTGRESQL) {
      props.setProperty("ApplicationName", db.schema());
    }
    return Jdbi.create(() -> DriverManager.getConnection(db.jdbcUrl(), props));
  }

  static long effects(String tag) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM effects WHERE tag = :tag")
                .bind("tag", tag)
                .mapTo(Long.class)
                .one());
  }

  /** Rows of the group whose key is LIKE the pattern (a plain key matches itself). */
  static long storedLike(String group, String pattern) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT count(*) FROM backstop_processed_messages"
                        + " WHERE consumer_group = :g AND message_id LIKE :p")
                .bind("g", group)
                .bind("p", pattern)
                .mapTo(Long.class)
                .one());
  }

  static ConsumerRecord<String, String> record(String topic, long offset, String messageId) {
    ConsumerRecord<String, String> record =
        new ConsumerRecord<>(topic, 0, offset, "key-" + offset, "value-" + offset);
    if (messageId != null) {
      record.headers().add("backstop.message-id", messageId.getBytes());
    }
    return record;
  }

  @Test
  void eightConcurrentClaimsOfOneIdApplyTheEffectOnceAndAbortNone() throws Exception {
    String id = MessageId.generate().toString();
    Jdbi direct = unpooled();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger handlerRuns = new AtomicInteger();
    List<Future<ClaimOutcome>> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int n = i;
      results.add(
          threads.submit(
              () ->
                  direct.inTransaction(
                      h -> {
                        ClaimOutcome outcome = store.claim(h, "race", id);
                        if (outcome == ClaimOutcome.CLAIMED) {
                          handlerRuns.incrementAndGet();
                          h.execute("INSERT INTO effects (tag, note) VALUES (?, 'effect')", id);
                          assertThat(release.await(60, SECONDS)).isTrue();
                        } else {
                          // the transaction is still usable after a duplicate, and commits
                          h.execute(
                              "INSERT INTO effects (tag, note) VALUES (?, ?)", id + "-dup", n);
                        }
                        return outcome;
                      })));
    }
    // seven claimers wait on the winner's uncommitted row while it runs its handler
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> jdbi.withHandle(this::sessionsWaitingForLocks) >= 7);
    release.countDown();

    List<ClaimOutcome> outcomes = new ArrayList<>();
    for (Future<ClaimOutcome> result : results) {
      outcomes.add(result.get(60, SECONDS));
    }
    assertThat(outcomes).containsOnlyOnce(ClaimOutcome.CLAIMED);
    assertThat(outcomes).filteredOn(o -> o == ClaimOutcome.DUPLICATE).hasSize(7);
    assertThat(handlerRuns).hasValue(1);
    assertThat(effects(id)).isEqualTo(1);
    assertThat(effects(id + "-dup")).isEqualTo(7);
    assertThat(storedLike("race", id)).isEqualTo(1);
  }

  @Test
  void eightConcurrentDeliveriesThroughTheHandlerRunItOnce() throws Exception {
    String id = MessageId.generate().toString();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger handlerRuns = new AtomicInteger();
    IdempotencyStore racing = store;
    Jdbi direct = unpooled();
    RecordHandler<String, String> handler =
        IdempotentHandler.<String, String>builder(direct, racing)
            .transactional(
                (h, r) -> {
                  handlerRuns.incrementAndGet();
                  h.execute("INSERT INTO effects (tag, note) VALUES (?, 'handled')", id);
                  assertThat(release.await(60, SECONDS)).isTrue();
                });
    long duplicatesBefore = metrics.duplicates.get();
    List<Future<?>> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      long offset = i;
      results.add(
          threads.submit(
              () -> {
                handler.handle(record("orders", offset, id));
                return null;
              }));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> jdbi.withHandle(this::sessionsWaitingForLocks) >= 7);
    release.countDown();
    for (Future<?> result : results) {
      result.get(60, SECONDS);
    }
    assertThat(handlerRuns).hasValue(1);
    assertThat(effects(id)).isEqualTo(1);
    assertThat(metrics.duplicates.get() - duplicatesBefore).isEqualTo(7);
  }

  @Test
  void aFailingHandlerRollsTheClaimBackAndTheRedeliveryIsProcessed() throws Exception {
    String id = MessageId.generate().toString();
    AtomicInteger attempts = new AtomicInteger();
    RecordHandler<String, String> handler =
        IdempotentHandler.<String, String>builder(jdbi, store)
            .transactional(
                (h, r) -> {
                  h.execute("INSERT INTO effects (tag, note) VALUES (?, 'attempt')", id);
                  if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("downstream refused");
                  }
                });

    assertThatThrownBy(() -> handler.handle(record("orders", 1, id)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("downstream refused");
    assertThat(storedLike("contract", id)).isZero();
    assertThat(effects(id)).isZero();

    DuplicateSignal.take();
    handler.handle(record("orders", 1, id)); // the redelivery
    assertThat(effects(id)).isEqualTo(1);
    assertThat(storedLike("contract", id)).isEqualTo(1);
    assertThat(DuplicateSignal.take())
        .as("a processed record raises no duplicate signal")
        .isFalse();

    handler.handle(record("orders", 1, id)); // and once more: a duplicate now
    assertThat(attempts).hasValue(2);
    assertThat(effects(id)).isEqualTo(1);
    assertThat(DuplicateSignal.take()).as("the skip is signalled to a wrapper").isTrue();
  }

  @Test
  void aBatchReportsDuplicatesInsideItAndAgainstTheStoreWithOneStatement() {
    String a = "a-" + MessageId.generate();
    String b = "b-" + MessageId.generate();
    String c = "c-" + MessageId.generate();
    String d = "d-" + MessageId.generate();
    String e = "e-" + MessageId.generate();
    jdbi.useTransaction(
        h -> {
          store.claim(h, "batch", a);
          store.claim(h, "batch", b);
        });

    Jdbi counted = Jdbi.create(db.dataSource());
    AtomicInteger statements = new AtomicInteger();
    counted
        .getConfig(SqlStatements.class)
        .setSqlLogger(
            new SqlLogger() {
              @Override
              public void logAfterExecution(StatementContext context) {
                statements.incrementAndGet();
              }
            });
    List<ClaimOutcome> outcomes =
        counted.inTransaction(
            h -> {
              int before = statements.get();
              List<ClaimOutcome> result = store.claimAll(h, "batch", List.of(a, c, c, d, b, e, d));
              assertThat(statements.get() - before).isEqualTo(1);
              // the transaction is not aborted: it goes on and commits
              h.execute("INSERT INTO effects (tag, note) VALUES (?, 'after batch')", c);
              return result;
            });

    assertThat(outcomes)
        .containsExactly(
            ClaimOutcome.DUPLICATE,
            ClaimOutcome.CLAIMED,
            ClaimOutcome.DUPLICATE_IN_BATCH,
            ClaimOutcome.CLAIMED,
            ClaimOutcome.DUPLICATE,
            ClaimOutcome.CLAIMED,
            ClaimOutcome.DUPLICATE_IN_BATCH);
    assertThat(effects(c)).isEqualTo(1);
    for (String key : List.of(a, b, c, d, e)) {
      assertThat(storedLike("batch", key)).isEqualTo(1);
    }
  }

  @Test
  void theBatchHandlerRunsOnlyClaimedRecordsAndRollsBackAsAWhole() throws Exception {
    String old = MessageId.generate().toString();
    String x = MessageId.generate().toString();
    String y = MessageId.generate().toString();
    handlerFor("batch-old").handle(record("orders", 0, old));
    List<String> handled = new ArrayList<>();
    AtomicBoolean fail = new AtomicBoolean(true);
    var batch =
        IdempotentHandler.<String, String>builder(jdbi, store)
            .batch(
                (h, r) -> {
                  handled.add(r.value());
                  h.execute(
                      "INSERT INTO effects (tag, note) VALUES ('batch-handler', ?)", r.value());
                  if (r.offset() == 3 && fail.get()) {
                    throw new IllegalStateException("record 3 failed");
                  }
                });
    List<ConsumerRecord<String, String>> records =
        List.of(
            record("orders", 1, x),
            record("orders", 2, old),
            record("orders", 3, y),
            record("orders", 4, x));

    assertThatThrownBy(() -> batch.handle(records)).hasMessage("record 3 failed");
    assertThat(storedLike("contract", x)).isZero();
    assertThat(effects("batch-handler")).isZero();

    fail.set(false);
    handled.clear();
    DuplicateSignal.take();
    BatchResult<String, String> result = batch.handle(records);
    assertThat(result.outcomes())
        .containsExactly(
            ClaimOutcome.CLAIMED,
            ClaimOutcome.DUPLICATE,
            ClaimOutcome.CLAIMED,
            ClaimOutcome.DUPLICATE_IN_BATCH);
    assertThat(handled).containsExactly("value-1", "value-3");
    assertThat(result.processed()).isEqualTo(2);
    assertThat(result.duplicates()).isEqualTo(2);

    assertThat(DuplicateSignal.take()).as("a batch with processed records").isFalse();

    assertThat(batch.handle(records).processed()).isZero();
    assertThat(effects("batch-handler")).isEqualTo(2);
    assertThat(DuplicateSignal.take()).as("a batch of duplicates only").isTrue();
  }

  private static RecordHandler<String, String> handlerFor(String tag) {
    return IdempotentHandler.<String, String>builder(jdbi, store)
        .transactional((h, r) -> h.execute("INSERT INTO effects (tag, note) VALUES (?, 'x')", tag));
  }

  /** A store of that group keeping ids one hour, sweeping 7 rows per batch. */
  private static IdempotencyStore sweepingStore(String group) {
    return store(group, false);
  }

  private static IdempotencyStore store(String group, boolean autoCreateSchema) {
    return IdempotencyStore.builder(
            IdempotencyConfig.builder()
                .group(group)
                .dialect(dialect())
                .autoCreateSchema(autoCreateSchema)
                .retention(Duration.ofHours(1))
                .sweeperBatchSize(7)
                .build(),
            jdbi)
        .clock(clock)
        .metrics(metrics)
        .build();
  }

  @Test
  void theSweeperDeletesExactlyTheExpiredRowsWhileClaimsRun() throws Exception {
    IdempotencyStore sweeping = sweepingStore("sweep");
    Instant now = clock.instant();
    clock.set(now.minus(Duration.ofHours(2)));
    List<String> expired = IntStream.range(0, 100).mapToObj(i -> "old-" + i).toList();
    jdbi.useTransaction(h -> sweeping.claimAll(h, "sweep", expired));
    clock.set(now.minus(Duration.ofMinutes(59)));
    jdbi.useTransaction(h -> sweeping.claimAll(h, "sweep", List.of("recent-0", "recent-1")));
    clock.set(now);

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger claimed = new AtomicInteger();
    Future<?> claimer =
        threads.submit(
            () -> {
              while (running.get()) {
                String key = "new-" + claimed.get();
                jdbi.useTransaction(
                    h ->
                        assertThat(sweeping.claim(h, "sweep", key))
                            .isEqualTo(ClaimOutcome.CLAIMED));
                claimed.incrementAndGet();
              }
              return null;
            });
    await().atMost(Duration.ofSeconds(30)).until(() -> claimed.get() >= 5);
    long sweptBefore = metrics.swept.get();
    SweepResult result;
    try (var first = sweeping.sweeper();
        var second = sweeping.sweeper()) {
      Future<SweepResult> other = threads.submit(second::sweepOnce);
      result = first.sweepOnce();
      SweepResult otherResult = other.get(60, SECONDS);
      assertThat(result.deleted() + otherResult.deleted()).isEqualTo(100);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> claimed.get() >= 10);
    running.set(false);
    claimer.get(60, SECONDS);

    assertThat(metrics.swept.get() - sweptBefore).isEqualTo(100);
    long remainingOld = storedLike("sweep", "old-%");
    assertThat(remainingOld).isZero();
    assertThat(storedLike("sweep", "recent-0")).isEqualTo(1);
    assertThat(storedLike("sweep", "recent-1")).isEqualTo(1);
    long fresh = storedLike("sweep", "new-%");
    assertThat(fresh).isEqualTo(claimed.get());
    // nothing expired is left for the next run
    assertThat(sweeping.sweeper().sweepOnce().deleted()).isZero();
  }

  @Test
  void onlyOneSweeperRunsAtATime() throws Exception {
    IdempotencyStore sweeping = sweepingStore("single");
    Instant now = clock.instant();
    clock.set(now.minus(Duration.ofHours(2)));
    jdbi.useTransaction(h -> sweeping.claimAll(h, "single", List.of("s-1", "s-2", "s-3")));
    clock.set(now);
    JdbiRetentionSweeper sweeper = (JdbiRetentionSweeper) sweeping.sweeper();
    JdbiIdempotencyStore internal = (JdbiIdempotencyStore) sweeping;

    SweepResult whileHeld =
        jdbi.withHandle(
            h -> {
              h.begin();
              boolean locked =
                  h.createQuery(internal.sql().get("sweep_lock"))
                      .bind("lock_name", sweeper.lockName())
                      .mapTo(Boolean.class)
                      .one();
              assertThat(locked).isTrue();
              SweepResult result = threads.submit(sweeper::sweepOnce).get(60, SECONDS);
              h.commit();
              internal
                  .sql()
                  .find("sweep_unlock")
                  .ifPresent(
                      sql ->
                          h.createQuery(sql)
                              .bind("lock_name", sweeper.lockName())
                              .mapToMap()
                              .list());
              return result;
            });
    assertThat(whileHeld.yielded()).isTrue();
    assertThat(whileHeld.deleted()).isZero();

    SweepResult afterwards = sweeper.sweepOnce();
    assertThat(afterwards.yielded()).isFalse();
    assertThat(afterwards.deleted()).isEqualTo(3);
  }

  @Test
  void reportsTheDatabasesEstimateOfTheStoreSize() {
    List<String> keys = IntStream.range(0, 50).mapToObj(i -> "size-" + i).toList();
    jdbi.useTransaction(h -> store.claimAll(h, "size", keys));
    jdbi.useHandle(this::analyze);
    long estimate = store.sizeEstimate();
    assertThat(estimate).isGreaterThanOrEqualTo(50);
    assertThat(metrics.storeSize.get()).isEqualTo(estimate);
  }

  static final class CountingMetrics implements IdempotencyMetrics {
    final AtomicLong claimed = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong swept = new AtomicLong();
    final AtomicLong storeSize = new AtomicLong();

    @Override
    public void storeSize(long estimatedRows) {
      storeSize.set(estimatedRows);
    }

    @Override
    public void claimed(String group, int count) {
      claimed.addAndGet(count);
    }

    @Override
    public void duplicates(String group, int count) {
      duplicates.addAndGet(count);
    }

    @Override
    public void swept(String group, long count) {
      swept.addAndGet(count);
    }
  }
}
