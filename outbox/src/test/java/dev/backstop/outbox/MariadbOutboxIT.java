package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.Health;
import dev.backstop.core.MessageId;
import dev.backstop.outbox.internal.Dialect;
import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.TopicConfig;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * What is particular to MariaDB: the dialect is detected from the driver, message ids survive the
 * round trip through {@code BINARY(16)}, times are read back as the UTC instants they were.
 */
@BackstopKafka
@BackstopDatabase(kind = TestDatabase.Kind.MARIADB)
class MariadbOutboxIT {

  @Test
  void detectsTheDialectAndRelaysWithIdsAndTimesIntact(KafkaBroker broker, TestDatabase db) {
    broker.createTopic("maria", 3);
    Properties properties = new Properties();
    properties.setProperty("backstop.outbox.auto-create-schema", "true");
    properties.setProperty("backstop.outbox.table-prefix", "md_");
    properties.setProperty("kafka.bootstrap.servers", broker.bootstrapServers());
    try (Outbox outbox = Outbox.create(OutboxConfig.from(properties), db.dataSource())) {
      List<String> ids = Fixture.write(outbox, db, "maria", "m", 30, 3);
      OutboxRelay relay = outbox.startRelay();
      Fixture.awaitDrained(db, "md_");
      assertThat(Fixture.publishedIds(broker, "maria")).containsExactlyInAnyOrderElementsOf(ids);
      Health health = relay.health();
      assertThat(health.status()).isEqualTo(Health.Status.UP);
      assertThat((Long) health.details().get("oldestPendingAgeMs")).isBetween(0L, 60_000L);
    }
  }

  @Test
  void parkedMessagesKeepTheirIdAndUtcTimes(KafkaBroker broker, TestDatabase db) {
    broker.createTopic("small", 1, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1024"));
    try (Outbox outbox = Outbox.create(Fixture.config(broker, "pt_").build(), db.dataSource())) {
      Instant before = Instant.now().minusSeconds(1);
      MessageId id =
          Jdbi.create(db.dataSource())
              .inTransaction(
                  h ->
                      outbox.send(
                          h, OutboxMessage.of("small", "k", Fixture.utf8("x".repeat(4000)))));
      outbox.startRelay();
      await().atMost(Fixture.DRAIN).until(() -> outbox.parked(10).size() == 1);
      ParkedMessage parked = outbox.parked(10).get(0);
      Instant after = Instant.now().plusSeconds(1);
      assertThat(parked.messageId()).isEqualTo(id);
      assertThat(parked.createdAt()).isBetween(before, after);
      assertThat(parked.parkedAt()).isBetween(parked.createdAt(), after);
    }
  }

  @Test
  void lockingTheLeasesOfABatchDoesNotWaitForOtherLanes(KafkaBroker broker, TestDatabase db) {
    Jdbi jdbi = Jdbi.create(db.dataSource());
    try (Outbox outbox = Outbox.create(Fixture.config(broker, "ll_").build(), db.dataSource());
        Handle other = jdbi.open();
        Handle relay = jdbi.open()) {
      outbox.installSchema();
      other.begin();
      other.execute("SELECT lane FROM ll_outbox_lease WHERE lane = 9 FOR UPDATE");
      relay.execute("SET SESSION innodb_lock_wait_timeout = 2");
      relay.begin();
      String lockLeases = Dialect.of("mariadb", "ll_").sql().get("lock-leases");
      List<Integer> locked =
          relay.createQuery(lockLeases).bind(0, "[1, 3]").mapTo(Integer.class).list();
      assertThat(locked).containsExactly(1, 3);
      relay.rollback();
      other.rollback();
      relay.execute("SET SESSION innodb_lock_wait_timeout = DEFAULT");
    }
  }

  @Test
  void aKeyLargerThan64KiBIsStoredAndPublishedWhole(KafkaBroker broker, TestDatabase db) {
    broker.createTopic("big-key", 1);
    byte[] key = new byte[70_000];
    java.util.Arrays.fill(key, (byte) 'k');
    try (Outbox outbox = Outbox.create(Fixture.config(broker, "bk_").build(), db.dataSource())) {
      Jdbi.create(db.dataSource())
          .useTransaction(h -> outbox.send(h, OutboxMessage.of("big-key", key, Fixture.utf8("v"))));
      outbox.startRelay();
      Fixture.awaitDrained(db, "bk_");
      assertThat(broker.readAll("big-key", 1, java.time.Duration.ofSeconds(30)).get(0).key())
          .isEqualTo(key);
    }
  }

  @Test
  void aWriteConflictUnderSnapshotIsolationSaysWhatToDo(KafkaBroker broker, TestDatabase db) {
    Jdbi jdbi = Jdbi.create(db.dataSource());
    OutboxConfig config = Fixture.config(broker, "si_").lanes(1).build();
    try (Outbox outbox = Outbox.create(config, db.dataSource());
        Handle first = jdbi.open()) {
      // MariaDB 11.6.2 and later turn this on by default; REPEATABLE READ is InnoDB's default
      first.execute("SET SESSION innodb_snapshot_isolation = ON");
      first.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      first.begin();
      first.createQuery("SELECT count(*) FROM si_outbox").mapTo(Long.class).one();
      Fixture.write(outbox, db, "conflict", "other", 1, 1); // commits to the same lane meanwhile
      OutboxException error =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              OutboxException.class,
              () -> outbox.send(first, OutboxMessage.of("conflict", "k", Fixture.utf8("v"))));
      assertThat(error)
          .hasMessageContaining("innodb_snapshot_isolation")
          .hasMessageContaining("READ COMMITTED");
      first.rollback();
      first.execute(
          "SET SESSION innodb_snapshot_isolation = OFF"); // the session goes back to the pool
    }
  }
}
