package dev.backstop.outbox;

import static org.awaitility.Awaitility.await;

import dev.backstop.core.MessageHeaders;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.KeyOrder;
import dev.backstop.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jdbi.v3.core.Jdbi;

/** Shared set-up of the outbox integration tests. */
final class Fixture {

  static final Duration DRAIN = Duration.ofSeconds(60);

  private Fixture() {}

  /**
   * A configuration for tests: auto-created schema, short lease (publish timeout at most half of
   * it), fast polling and backoff.
   */
  static OutboxConfig.Builder config(KafkaBroker broker, String prefix) {
    return OutboxConfig.builder()
        .tablePrefix(prefix)
        .lanes(16)
        .autoCreateSchema(true)
        .leaseDuration(Duration.ofSeconds(2))
        .set(OutboxConfig.PUBLISH_TIMEOUT, Duration.ofSeconds(1))
        .set(OutboxConfig.POLL_INTERVAL_MAX, Duration.ofMillis(100))
        .set(OutboxConfig.BACKOFF_MAX, Duration.ofMillis(500))
        .set(OutboxConfig.STATS_INTERVAL, Duration.ofMillis(100))
        .kafka(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
  }

  /** Rows still waiting in the outbox table. */
  static long pending(TestDatabase db, String prefix) {
    return Jdbi.create(db.dataSource())
        .withHandle(
            h -> h.select("SELECT count(*) FROM " + prefix + "outbox").mapTo(Long.class).one());
  }

  /** Waits until the relay deleted every row. */
  static void awaitDrained(TestDatabase db, String prefix) {
    await("outbox " + prefix + " drained").atMost(DRAIN).until(() -> pending(db, prefix) == 0);
  }

  /** The distinct message ids published on {@code topic}, read to its end. */
  static java.util.Set<String> publishedIds(KafkaBroker broker, String topic) {
    return broker.readCommittedToEnd(topic, Duration.ofSeconds(30)).stream()
        .map(Fixture::id)
        .collect(java.util.stream.Collectors.toSet());
  }

  /**
   * Reads {@code topic} at read_committed and checks per-key order against {@code committed}, the
   * ids in commit order: every id published, per key in commit order with only in-order repeats.
   */
  static List<ConsumerRecord<byte[], byte[]>> assertKeyOrder(
      KafkaBroker broker, String topic, List<String> committed) {
    List<ConsumerRecord<byte[], byte[]>> records =
        broker.readCommittedToEnd(topic, Duration.ofSeconds(30));
    Map<String, String> keyOfId = new java.util.HashMap<>();
    records.forEach(r -> keyOfId.put(id(r), key(r)));
    Map<String, List<String>> byKey = new LinkedHashMap<>();
    for (String id : committed) {
      String key = keyOfId.get(id);
      if (key == null) {
        throw new AssertionError("Committed message " + id + " was never published on " + topic);
      }
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
    }
    KeyOrder.committed(byKey)
        .check(records.stream().map(r -> new KeyOrder.Consumed(key(r), id(r))).toList(), true);
    return records;
  }

  /** The message id of a published record. */
  static String id(ConsumerRecord<byte[], byte[]> record) {
    return MessageHeaders.messageId(record.headers()).value().toString();
  }

  static String key(ConsumerRecord<byte[], byte[]> record) {
    return new String(record.key(), StandardCharsets.UTF_8);
  }

  static String value(ConsumerRecord<byte[], byte[]> record) {
    return new String(record.value(), StandardCharsets.UTF_8);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Record values per key, in partition (publication) order. */
  static Map<String, List<String>> valuesByKey(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<String, List<String>> byKey = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      byKey.computeIfAbsent(key(record), k -> new ArrayList<>()).add(value(record));
    }
    return byKey;
  }

  /** Writes {@code count} messages for {@code keys} keys, one per transaction; returns the ids. */
  static List<String> write(
      Outbox outbox, TestDatabase db, String topic, String tag, int count, int keys) {
    Jdbi jdbi = Jdbi.create(db.dataSource());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = "k" + (i % keys);
      String value = tag + "-" + i;
      ids.add(
          retrying(
              () ->
                  jdbi.inTransaction(
                      h -> outbox.send(h, OutboxMessage.of(topic, key, utf8(value))).toString())));
    }
    return ids;
  }

  /** Runs {@code work}, retrying a few times when the database connection broke before commit. */
  static <T> T retrying(Work<T> work) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        return work.run();
      } catch (RuntimeException e) {
        last = e;
      } catch (SQLException e) {
        last = new IllegalStateException(e);
      }
    }
    throw last;
  }

  interface Work<T> {
    T run() throws SQLException;
  }
}
