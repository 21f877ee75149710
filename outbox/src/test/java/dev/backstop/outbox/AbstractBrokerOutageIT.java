package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.Health;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 4: the broker goes away for about ten seconds and comes back; run on each database by
 * {@link PostgresBrokerOutageIT} and {@link MariadbBrokerOutageIT}.
 */
abstract class AbstractBrokerOutageIT {

  @Test
  void brokerDownKeepsTheRowsReportsItAndTheRelayRecoversByItself(
      KafkaBroker broker, TestDatabase db) {
    String topic = "outage";
    broker.createTopic(topic, 2);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OutboxConfig config =
        Fixture.config(broker, "bo_")
            .leaseDuration(Duration.ofSeconds(6))
            .set(OutboxConfig.PUBLISH_TIMEOUT, Duration.ofSeconds(3))
            .set(OutboxConfig.DEGRADED_AFTER, Duration.ofSeconds(1))
            .build();
    try (Outbox outbox =
        Outbox.builder(config)
            .dataSource(db.dataSource())
            .metrics(OutboxMetrics.micrometer(registry))
            .build()) {
      OutboxRelay relay = outbox.startRelay();
      List<String> committed = new ArrayList<>(Fixture.write(outbox, db, topic, "before", 50, 5));
      Fixture.awaitDrained(db, "bo_");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> relay.health().status() == Health.Status.UP);

      broker.stop();
      committed.addAll(Fixture.write(outbox, db, topic, "during", 50, 5));
      // the outage lasts until the relay has failed to publish three times (publish timeout 3 s
      // each)
      await("health degraded while the broker is down")
          .atMost(Duration.ofSeconds(60))
          .until(() -> relay.health().status() == Health.Status.DEGRADED);
      await("three failed rounds (about ten seconds) reported in the metrics")
          .atMost(Duration.ofSeconds(60))
          .until(() -> kafkaFailures(registry) >= 3);
      assertThat(Fixture.pending(db, "bo_")).isEqualTo(50);
      assertThat(registry.get(OutboxMetricNames.OLDEST_PENDING_AGE).gauge().value()).isPositive();
      assertThat(registry.get(OutboxMetricNames.PENDING).gauge().value()).isEqualTo(50.0);

      broker.restart();
      committed.addAll(Fixture.write(outbox, db, topic, "after", 50, 5));
      Fixture.awaitDrained(db, "bo_");
      await("health back to UP")
          .atMost(Duration.ofSeconds(30))
          .until(() -> relay.health().status() == Health.Status.UP);

      assertThat(Fixture.publishedIds(broker, topic))
          .containsExactlyInAnyOrderElementsOf(committed);
      Fixture.assertKeyOrder(broker, topic, committed);
    }
  }

  private static double kafkaFailures(SimpleMeterRegistry registry) {
    return registry.get(OutboxMetricNames.FAILURES).tag("kind", "kafka").counter().count();
  }
}
