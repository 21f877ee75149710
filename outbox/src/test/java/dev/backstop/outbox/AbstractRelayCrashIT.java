package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.outbox.internal.Relay;
import dev.backstop.outbox.internal.RelayHooks;
import dev.backstop.outbox.internal.Row;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 2: the relay dies in the middle of a batch and another one takes over.
 *
 * <p>Run on every database: subclasses pick theirs with {@code @BackstopDatabase}.
 */
abstract class AbstractRelayCrashIT {

  /** Where in the round the relay dies. */
  enum Point {
    AFTER_READ,
    WHILE_SENDING,
    AFTER_ACKS
  }

  /** Kills the relay the first time the hook runs, as a crashed process would stop. */
  static final class KillOnce implements RelayHooks {
    final CompletableFuture<Relay> relay = new CompletableFuture<>();
    final Point point;
    volatile int killedBatchSize = -1;

    KillOnce(Point point) {
      this.point = point;
    }

    @Override
    public void afterRead(List<Row> batch) {
      if (point == Point.AFTER_READ) {
        kill(batch);
      }
    }

    @Override
    public void afterSend(List<Row> batch) {
      if (point == Point.WHILE_SENDING) {
        kill(batch);
      }
    }

    @Override
    public void afterAcks(List<Row> batch) {
      if (point == Point.AFTER_ACKS) {
        kill(batch);
      }
    }

    private void kill(List<Row> batch) {
      if (killedBatchSize < 0) {
        killedBatchSize = batch.size();
        relay.join().kill();
      }
    }
  }

  @Test
  void relayKilledAfterTheAcksBeforeTheDeleteLosesNothingAndDuplicatesKeepTheirId(
      KafkaBroker broker, TestDatabase db) {
    List<ConsumerRecord<byte[], byte[]>> records =
        crashAndRestart(broker, db, "ack_", Point.AFTER_ACKS);
    // the killed relay's acknowledged batch went out again: same ids, same payloads
    Map<String, List<ConsumerRecord<byte[], byte[]>>> byId =
        records.stream().collect(Collectors.groupingBy(Fixture::id));
    assertThat(byId.values()).anySatisfy(copies -> assertThat(copies).hasSizeGreaterThan(1));
    byId.values()
        .forEach(copies -> assertThat(copies.stream().map(Fixture::value).distinct()).hasSize(1));
  }

  @Test
  void relayKilledBeforeSendingLosesNothing(KafkaBroker broker, TestDatabase db) {
    List<ConsumerRecord<byte[], byte[]>> records =
        crashAndRestart(broker, db, "read_", Point.AFTER_READ);
    assertThat(records.stream().map(Fixture::id)).doesNotHaveDuplicates();
  }

  @Test
  void relayKilledWhileItsBatchIsInFlightLosesNothing(KafkaBroker broker, TestDatabase db) {
    List<ConsumerRecord<byte[], byte[]>> records =
        crashAndRestart(broker, db, "send_", Point.WHILE_SENDING);
    // whatever of the killed batch reached the broker went out again under the same id
    records.stream()
        .collect(Collectors.groupingBy(Fixture::id))
        .values()
        .forEach(copies -> assertThat(copies.stream().map(Fixture::value).distinct()).hasSize(1));
  }

  private static List<ConsumerRecord<byte[], byte[]>> crashAndRestart(
      KafkaBroker broker, TestDatabase db, String prefix, Point point) {
    String topic = "crash-" + prefix.replace("_", "");
    broker.createTopic(topic, 3);
    OutboxConfig config = Fixture.config(broker, prefix).batchSize(50).build();
    try (Outbox outbox = Outbox.create(config, db.dataSource())) {
      List<String> committed = Fixture.write(outbox, db, topic, "m", 300, 10);
      KillOnce hooks = new KillOnce(point);
      Relay first = outbox.engine().startRelay("first", hooks);
      hooks.relay.complete(first);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> first.health().status() == dev.backstop.core.Health.Status.DOWN);
      assertThat(hooks.killedBatchSize).isPositive();
      assertThat(Fixture.pending(db, prefix)).isPositive();

      outbox.engine().startRelay("second", RelayHooks.NONE);
      Fixture.awaitDrained(db, prefix);

      List<ConsumerRecord<byte[], byte[]>> records =
          broker.readCommittedToEnd(topic, Duration.ofSeconds(30));
      assertThat(records.stream().map(Fixture::id).collect(Collectors.toSet()))
          .containsExactlyInAnyOrderElementsOf(committed);
      Fixture.assertKeyOrder(broker, topic, committed);
      Fixture.valuesByKey(records)
          .forEach(
              (key, values) ->
                  assertThat(values.stream().distinct().toList())
                      .as("first publications of key %s in write order", key)
                      .isSortedAccordingTo(AbstractRelayCrashIT::byIndex));
      return records;
    }
  }

  private static int byIndex(String a, String b) {
    return Integer.compare(index(a), index(b));
  }

  private static int index(String value) {
    return Integer.parseInt(value.substring(value.lastIndexOf('-') + 1));
  }
}
