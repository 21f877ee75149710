package dev.backstop.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.MessageId;
import dev.backstop.core.RecordHandler;
import dev.backstop.testkit.ManualClock;
import dev.backstop.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lease mode for side effects outside the database, on every dialect; time is driven by a manual
 * clock. Subclasses pick the database with {@code @BackstopDatabase}.
 */
abstract class AbstractLeaseModeIT {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  static ManualClock clock;
  static IdempotencyStore store;
  static Jdbi jdbi;

  @BeforeAll
  static void setUp(TestDatabase db) {
    jdbi = Jdbi.create(db.dataSource());
    clock = ManualClock.at(T0);
    store =
        IdempotencyStore.builder(
                IdempotencyConfig.builder()
                    .group("mailer") // the dialect is detected from the database
                    .autoCreateSchema(true)
                    .leaseDuration(Duration.ofSeconds(30))
                    .build(),
                jdbi)
            .clock(clock)
            .build();
  }

  private static ConsumerRecord<String, String> record(long offset, String id) {
    var record = new ConsumerRecord<>("mails", 0, offset, "k", "v");
    record.headers().add("backstop.message-id", id.getBytes());
    return record;
  }

  @Test
  void theDefaultDialectIsTheDatabaseTheConnectionReaches(TestDatabase db) {
    assertThat(store.config().dialect()).isEqualTo("auto");
    assertThat(dev.backstop.idempotency.internal.Dialect.detect(jdbi))
        .isEqualTo(
            db.kind() == TestDatabase.Kind.POSTGRESQL
                ? dev.backstop.idempotency.internal.Dialect.POSTGRESQL
                : dev.backstop.idempotency.internal.Dialect.MARIADB);
  }

  @Test
  void anExpiredLeaseIsTakenOverAndALiveOneIsNot() throws Exception {
    clock.set(T0);
    String id = MessageId.generate().toString();
    AtomicInteger sent = new AtomicInteger();
    RecordHandler<String, String> mailer =
        IdempotentHandler.<String, String>builder(jdbi, store).leased(r -> sent.incrementAndGet());

    Lease first = store.acquireLease("mailer", id); // a consumer that then stalls
    assertThat(first.status()).isEqualTo(Lease.Status.ACQUIRED);
    assertThat(first.leaseUntil()).isEqualTo(T0.plusSeconds(30));

    clock.advance(Duration.ofSeconds(29));
    Lease live = store.acquireLease("mailer", id);
    assertThat(live.status()).isEqualTo(Lease.Status.BUSY);
    assertThat(live.leaseUntil()).isEqualTo(T0.plusSeconds(30));
    assertThatThrownBy(() -> mailer.handle(record(7, id)))
        .isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("mails-0@7")
        .hasMessageContaining(T0.plusSeconds(30).toString());
    assertThat(sent).hasValue(0);

    clock.advance(Duration.ofSeconds(1)); // the first lease has expired
    mailer.handle(record(7, id));
    assertThat(sent).hasValue(1);

    assertThatThrownBy(() -> store.completeLease(first))
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining(id);
    assertThat(store.acquireLease("mailer", id).status()).isEqualTo(Lease.Status.DONE);
    mailer.handle(record(7, id));
    assertThat(sent).hasValue(1);
  }

  @Test
  void aTakeOverIsReportedAndACompletedMessageIsNeverTaken() {
    clock.set(T0);
    String id = MessageId.generate().toString();
    store.acquireLease("mailer", id);
    clock.advance(Duration.ofMinutes(5));
    Lease taken = store.acquireLease("mailer", id);
    assertThat(taken.status()).isEqualTo(Lease.Status.TAKEN_OVER);
    store.completeLease(taken);
    clock.advance(Duration.ofDays(1));
    assertThat(store.acquireLease("mailer", id).status()).isEqualTo(Lease.Status.DONE);
  }

  @Test
  void aRenewedLeaseStaysLive() {
    clock.set(T0);
    String id = MessageId.generate().toString();
    Lease lease = store.acquireLease("mailer", id);
    clock.advance(Duration.ofSeconds(20));
    lease = store.renewLease(lease);
    clock.advance(Duration.ofSeconds(20)); // past the first expiry, before the renewed one
    assertThat(store.acquireLease("mailer", id).status()).isEqualTo(Lease.Status.BUSY);
    store.completeLease(lease);
  }

  @Test
  void aFailedEffectReleasesItsLeaseSoTheRedeliveryRunsIt() throws Exception {
    clock.set(T0);
    String id = MessageId.generate().toString();
    AtomicInteger attempts = new AtomicInteger();
    RecordHandler<String, String> mailer =
        IdempotentHandler.<String, String>builder(jdbi, store)
            .leased(
                r -> {
                  if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("smtp down");
                  }
                });
    assertThatThrownBy(() -> mailer.handle(record(1, id))).hasMessage("smtp down");
    mailer.handle(record(1, id)); // no waiting for the lease to expire
    mailer.handle(record(1, id));
    assertThat(attempts).hasValue(2);
  }
}
