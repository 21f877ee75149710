package dev.backstop.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.Health;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What the circuit measures: the health of the dependency, seen in first deliveries. Records in a
 * tier that fail for their own reasons never pause fresh traffic; an outage still pauses every
 * loop.
 */
@BackstopKafka
class BulkheadIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final KafkaBroker broker;

  BulkheadIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @Test
  void aTierFullOfRecordsThatFailForTheirOwnReasonsNeverPausesFreshTraffic() {
    broker.createTopic("storm", 2);
    Recorder<byte[], byte[]> handler =
        new Recorder<>(
            (record, previous) ->
                Fixture.text(record.value()).equals("poison")
                    ? new IllegalStateException("this record is broken")
                    : null);
    ReliableConsumerConfig config =
        Fixture.config(broker, "storm-group", "storm")
            .tiers(Duration.ofSeconds(1))
            .circuit(50, 10, 5, Duration.ofMinutes(5))
            .build();
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(handler).build()) {
      consumer.start();
      List<String> poison =
          Fixture.sendToTier(broker, "storm.retry.1s", "storm-group", 2_000, "poison");
      await().atMost(DEADLINE).until(() -> handler.callsOf(poison.get(0)) > 0);
      List<String> fresh = Fixture.send(broker, "storm", Collections.nCopies(100, "fresh"));
      await()
          .atMost(DEADLINE)
          .alias("fresh records are handled while the tier fails (the circuit waits 5 minutes)")
          .until(() -> handler.succeededIds().containsAll(fresh));
      broker.readAll("storm.dlq", 2_000, DEADLINE);
      assertThat(consumer.health().status()).isEqualTo(Health.Status.UP);
      assertThat(consumer.health().details()).containsEntry("circuit", "CLOSED");
    }
  }

  @Test
  void anOutageSeenInFreshTrafficHoldsTheTierRecordsInsteadOfDeadLetteringThem() {
    broker.createTopic("outage", 2);
    AtomicBoolean down = new AtomicBoolean(true);
    Recorder<byte[], byte[]> handler =
        new Recorder<>(
            (record, previous) ->
                down.get() ? new IllegalStateException("payment gateway unavailable") : null);
    ReliableConsumerConfig config =
        Fixture.config(broker, "outage-group", "outage")
            .tiers(Duration.ofSeconds(1))
            .circuit(50, 10, 5, Duration.ofSeconds(2))
            .build();
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(handler).build()) {
      consumer.start();
      List<String> fresh = Fixture.send(broker, "outage", Collections.nCopies(20, "order"));
      await().atMost(DEADLINE).until(() -> consumer.health().status() == Health.Status.DEGRADED);
      List<String> waiting =
          Fixture.sendToTier(broker, "outage.retry.1s", "outage-group", 200, "order");
      await()
          .during(Duration.ofSeconds(5))
          .atMost(DEADLINE)
          .alias("while the circuit is open, tier records are held, not dead-lettered")
          .until(() -> Fixture.endOffsets(broker, "outage.dlq") == 0);
      down.set(false);
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  handler.succeededIds().containsAll(fresh)
                      && handler.succeededIds().containsAll(waiting));
      assertThat(Fixture.endOffsets(broker, "outage.dlq")).isZero();
    }
  }
}
