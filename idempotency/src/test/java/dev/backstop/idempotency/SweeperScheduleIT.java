package dev.backstop.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.Health;
import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.ManualClock;
import dev.backstop.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The sweeper on a schedule: it sweeps, and its health says when it cannot. */
@BackstopDatabase
class SweeperScheduleIT {

  @Test
  void sweepsOnTheInjectedSchedulerAndReportsFailedRunsAsDegraded(TestDatabase db) {
    Jdbi jdbi = Jdbi.create(db.dataSource());
    ManualClock clock = ManualClock.at(Instant.parse("2026-05-01T00:00:00Z"));
    IdempotencyStore store =
        IdempotencyStore.builder(
                IdempotencyConfig.builder()
                    .group("scheduled")
                    .autoCreateSchema(true)
                    .retention(Duration.ofHours(1))
                    .sweeperInterval(Duration.ofMillis(100))
                    .build(),
                jdbi)
            .clock(clock)
            .build();
    jdbi.useTransaction(h -> store.claimAll(h, "scheduled", List.of("k-1", "k-2")));
    clock.advance(Duration.ofHours(2));
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (RetentionSweeper sweeper = store.sweeper()) {
      sweeper.start(scheduler);
      await().atMost(Duration.ofSeconds(30)).until(() -> rows(jdbi) == 0);
      assertThat(sweeper.health().status()).isEqualTo(Health.Status.UP);

      jdbi.useHandle(
          h -> h.execute("ALTER TABLE backstop_processed_messages RENAME TO parked_messages"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sweeper.health().status() == Health.Status.DEGRADED);
      assertThat(sweeper.health().details()).containsKey("error");

      jdbi.useHandle(
          h -> h.execute("ALTER TABLE parked_messages RENAME TO backstop_processed_messages"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sweeper.health().status() == Health.Status.UP);
    } finally {
      scheduler.shutdownNow();
    }
  }

  private static long rows(Jdbi jdbi) {
    return jdbi.withHandle(
        h -> h.select("SELECT count(*) FROM backstop_processed_messages").mapTo(Long.class).one());
  }
}
