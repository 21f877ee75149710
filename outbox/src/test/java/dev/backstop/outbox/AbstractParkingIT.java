package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.KeyOrder;
import dev.backstop.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 6: a record the broker rejects for good is parked with the later rows of its key;
 * other keys keep flowing; a requeue after the fix publishes the key in order.
 *
 * <p>Run on every database: subclasses pick theirs with {@code @BackstopDatabase}.
 */
abstract class AbstractParkingIT {

  @Test
  void tooLargeRecordIsParkedWithItsKeyAndRequeuedInOrder(KafkaBroker broker, TestDatabase db)
      throws Exception {
    String topic = "parking";
    broker.createTopic(topic, 1, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2048"));
    Jdbi jdbi = Jdbi.create(db.dataSource());
    try (Outbox outbox = Outbox.create(Fixture.config(broker, "pk_").build(), db.dataSource())) {
      outbox.installSchema();
      send(jdbi, outbox, topic, "blue", "b1");
      send(jdbi, outbox, topic, "blue", "b2-" + "x".repeat(5000));
      send(jdbi, outbox, topic, "green", "g1");
      send(jdbi, outbox, topic, "blue", "b3");
      send(jdbi, outbox, topic, "green", "g2");
      send(jdbi, outbox, topic, "blue", "b4");
      OutboxRelay relay = outbox.startRelay();

      await().atMost(Fixture.DRAIN).until(() -> Fixture.pending(db, "pk_") == 0);
      List<ParkedMessage> parked = outbox.parked(100);
      assertThat(parked)
          .extracting(m -> text(m.value()).substring(0, 2))
          .containsExactly("b2", "b3", "b4");
      assertThat(parked.get(0).reason()).contains("RecordTooLargeException").contains("2048");
      assertThat(parked.get(1).reason()).contains("follows a parked message");

      // later rows of the parked key are parked too; other keys keep flowing
      send(jdbi, outbox, topic, "blue", "b5");
      send(jdbi, outbox, topic, "green", "g3");
      await().atMost(Fixture.DRAIN).until(() -> outbox.parked(100).size() == 4);
      await()
          .atMost(Fixture.DRAIN)
          .until(
              () ->
                  Fixture.valuesByKey(broker.readCommittedToEnd(topic, Duration.ofSeconds(10)))
                          .get("green")
                          .size()
                      == 3);
      assertThat(relay.health().details()).containsEntry("parked", 4L);

      raiseLimit(broker, topic);
      assertThat(outbox.requeue(outbox.parked(1).get(0))).isEqualTo(4);
      Fixture.awaitDrained(db, "pk_");

      Map<String, List<String>> byKey =
          Fixture.valuesByKey(broker.readCommittedToEnd(topic, Duration.ofSeconds(10)));
      assertThat(byKey.get("blue"))
          .extracting(v -> v.substring(0, 2))
          .containsExactly("b1", "b2", "b3", "b4", "b5");
      assertThat(byKey.get("green")).containsExactly("g1", "g2", "g3");
      assertThat(outbox.parked(100)).isEmpty();
    }
  }

  @Test
  void requeueDuringALargeDrainKeepsTheKeysOrder(KafkaBroker broker, TestDatabase db)
      throws Exception {
    String topic = "requeue-drain";
    broker.createTopic(topic, 1, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2048"));
    Jdbi jdbi = Jdbi.create(db.dataSource());
    // one lane, small batches: the relay reads ahead while it drains, and the requeued rows sit
    // below what it has read
    OutboxConfig config = Fixture.config(broker, "rq_").lanes(1).batchSize(40).build();
    try (Outbox outbox = Outbox.create(config, db.dataSource())) {
      outbox.installSchema();
      send(jdbi, outbox, topic, "blue", "b0-" + "x".repeat(5000));
      send(jdbi, outbox, topic, "blue", "b1");
      OutboxRelay relay = outbox.startRelay();
      await().atMost(Fixture.DRAIN).until(() -> outbox.parked(10).size() == 2);
      relay.close();

      raiseLimit(broker, topic);
      Map<String, List<String>> committed = new java.util.LinkedHashMap<>();
      committed.put("blue", new java.util.ArrayList<>(List.of("b0-" + "x".repeat(5000), "b1")));
      for (int i = 0; i < 800; i++) {
        String key = i % 50 == 0 ? "blue" : "other-" + (i % 7);
        send(jdbi, outbox, topic, key, "n" + (i + 2));
        committed.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add("n" + (i + 2));
      }
      outbox.startRelay();
      await().atMost(Fixture.DRAIN).until(() -> Fixture.pending(db, "rq_") < 500);
      outbox.requeueAll();
      Fixture.awaitDrained(db, "rq_");
      await()
          .atMost(Fixture.DRAIN)
          .until(() -> outbox.parked(10).isEmpty() && Fixture.pending(db, "rq_") == 0);

      List<ConsumerRecord<byte[], byte[]>> records =
          broker.readCommittedToEnd(topic, Duration.ofSeconds(30));
      KeyOrder.committed(committed)
          .check(
              records.stream()
                  .map(r -> new KeyOrder.Consumed(Fixture.key(r), Fixture.value(r)))
                  .toList(),
              true);
      List<String> blue =
          Fixture.valuesByKey(records).get("blue").stream()
              .map(v -> v.split("-")[0])
              .distinct()
              .toList();
      List<String> expected = new java.util.ArrayList<>(List.of("b0", "b1"));
      for (int i = 0; i < 800; i += 50) {
        expected.add("n" + (i + 2));
      }
      assertThat(blue).containsExactlyElementsOf(expected);
    }
  }

  private static void raiseLimit(KafkaBroker broker, String topic) throws Exception {
    broker
        .admin()
        .incrementalAlterConfigs(
            Map.of(
                new ConfigResource(ConfigResource.Type.TOPIC, topic),
                List.of(
                    new AlterConfigOp(
                        new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048576"),
                        AlterConfigOp.OpType.SET))))
        .all()
        .get();
  }

  /**
   * A batch of a key fails while a later batch of the same key is acknowledged, on a real broker:
   * with compression the relay cannot check the topic's limit before sending, so the broker itself
   * rejects the too-large record, in its own producer batch, after the later rows went out. The
   * round's transaction aborts, so the later rows are not published before it.
   */
  @Test
  void aRecordTheBrokerRejectsAfterLaterRowsOfItsKeyWereSentKeepsTheKeysOrder(
      KafkaBroker broker, TestDatabase db) throws Exception {
    String topic = "rejected-late";
    broker.createTopic(topic, 1, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2048"));
    Jdbi jdbi = Jdbi.create(db.dataSource());
    OutboxConfig config =
        Fixture.config(broker, "rl_")
            .kafka("compression.type", "gzip")
            .kafka("batch.size", 1024)
            .build();
    StringBuilder incompressible = new StringBuilder();
    while (incompressible.length() < 20_000) {
      incompressible.append(java.util.UUID.randomUUID());
    }
    Map<String, List<String>> committed =
        Map.of("blue", List.of("b1", "b2-" + incompressible, "b3", "b4"), "green", List.of("g1"));
    try (Outbox outbox = Outbox.create(config, db.dataSource())) {
      outbox.installSchema();
      send(jdbi, outbox, topic, "blue", committed.get("blue").get(0));
      send(jdbi, outbox, topic, "blue", committed.get("blue").get(1));
      send(jdbi, outbox, topic, "green", "g1");
      send(jdbi, outbox, topic, "blue", "b3");
      send(jdbi, outbox, topic, "blue", "b4");
      outbox.startRelay();
      await("the rejected record is parked and the rest published")
          .atMost(Fixture.DRAIN)
          .until(() -> !outbox.parked(10).isEmpty() && Fixture.pending(db, "rl_") == 0);
      assertThat(outbox.parked(10))
          .anySatisfy(m -> assertThat(m.reason()).contains("RecordTooLargeException"));

      raiseLimit(broker, topic);
      outbox.requeueAll();
      await("requeued and published")
          .atMost(Fixture.DRAIN)
          .until(() -> outbox.parked(10).isEmpty() && Fixture.pending(db, "rl_") == 0);
      List<ConsumerRecord<byte[], byte[]>> records =
          broker.readCommittedToEnd(topic, Duration.ofSeconds(30));
      KeyOrder.committed(committed)
          .check(
              records.stream()
                  .map(r -> new KeyOrder.Consumed(Fixture.key(r), Fixture.value(r)))
                  .toList(),
              true);
    }
  }

  @Test
  void invalidMessagesFailTheWriteWithAClearError(KafkaBroker broker, TestDatabase db) {
    Jdbi jdbi = Jdbi.create(db.dataSource());
    OutboxConfig config =
        Fixture.config(broker, "inv_").set(OutboxConfig.MAX_MESSAGE_BYTES, 1000).build();
    try (Outbox outbox = Outbox.create(config, db.dataSource())) {
      assertThat(
              org.assertj.core.api.Assertions.catchThrowable(
                  () -> send(jdbi, outbox, null, "k", "v")))
          .isInstanceOf(InvalidOutboxMessageException.class)
          .hasMessage("Outbox message with key 'k' has no topic");
      assertThat(
              org.assertj.core.api.Assertions.catchThrowable(
                  () -> send(jdbi, outbox, "bad topic!", "k", "v")))
          .isInstanceOf(InvalidOutboxMessageException.class)
          .hasMessageStartingWith(
              "Invalid topic name 'bad topic!' for outbox message with key 'k'");
      assertThat(
              org.assertj.core.api.Assertions.catchThrowable(
                  () -> send(jdbi, outbox, "fine", "k", "x".repeat(2000))))
          .isInstanceOf(InvalidOutboxMessageException.class)
          .hasMessageContaining("more than backstop.outbox.max-message-bytes=1000");
      assertThat(Fixture.pending(db, "inv_")).isZero();
    }
  }

  private static void send(Jdbi jdbi, Outbox outbox, String topic, String key, String value) {
    jdbi.useTransaction(
        h -> outbox.send(h, OutboxMessage.of(topic, key, value.getBytes(StandardCharsets.UTF_8))));
  }

  private static String text(byte[] bytes) {
    return new String(Arrays.copyOf(bytes, bytes.length), StandardCharsets.UTF_8);
  }
}
