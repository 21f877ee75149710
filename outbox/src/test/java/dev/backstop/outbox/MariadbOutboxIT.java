package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.Health;
import dev.backstop.core.MessageId;
import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.TopicConfig;
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
    try (Outbox outbox = Outbox.create(OutboxConfig.fromProperties(properties), db.dataSource())) {
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
}
