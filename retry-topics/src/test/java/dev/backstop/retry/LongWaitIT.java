package dev.backstop.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.Health;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The slow scenarios: a 30 s tier, a 20 s dependency outage, a broker restart; each once. */
@Tag("slow")
@BackstopKafka
class LongWaitIT {
  private final KafkaBroker broker;

  LongWaitIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @Test
  void thirtySecondTierOutlastsMaxPollIntervalWithoutRebalanceOrDuplicate() {
    broker.createTopic("slow", 2);
    Recorder<byte[], byte[]> handler = Recorder.failingFirst(1);
    ReliableConsumerConfig config =
        Fixture.config(broker, "slow-group", "slow")
            .tiers(Duration.ofSeconds(30))
            .kafka("max.poll.interval.ms", 10_000)
            .build();
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(handler).build()) {
      consumer.start();
      List<String> ids = Fixture.send(broker, "slow", List.of("a"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> memberIds("slow-group.retry.30s").size() == 1);
      Set<String> tierMembers = memberIds("slow-group.retry.30s");
      Set<String> mainMembers = memberIds("slow-group");
      await().atMost(Duration.ofSeconds(90)).until(() -> handler.successes.size() == 1);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Fixture.committed(broker, "slow-group.retry.30s", "slow.retry.30s") == 1);

      Recorder.Success success = handler.successes.get(0);
      assertThat(success.atMillis() - handler.firstCallAt.get(ids.get(0)))
          .isGreaterThanOrEqualTo(30_000);
      assertThat(handler.callsOf(ids.get(0))).as("no duplicate delivery").isEqualTo(2);
      assertThat(memberIds("slow-group.retry.30s"))
          .as("no rebalance of the tier consumer")
          .isEqualTo(tierMembers);
      assertThat(memberIds("slow-group"))
          .as("no rebalance of the main consumer")
          .isEqualTo(mainMembers);
      assertThat(consumer.health().status()).isEqualTo(Health.Status.UP);
    }
  }

  @Test
  void openCircuitHoldsRecordsWhileTheDependencyIsDownAndProcessesThemAfter() {
    broker.createTopic("flaky", 2);
    AtomicBoolean down = new AtomicBoolean(true);
    AtomicLong downSince = new AtomicLong();
    Recorder<byte[], byte[]> handler =
        new Recorder<>(
            (record, previous) -> {
              downSince.compareAndSet(0, System.currentTimeMillis());
              return down.get() ? new IllegalStateException("payment service unavailable") : null;
            });
    ReliableConsumerConfig config =
        Fixture.config(broker, "flaky-group", "flaky")
            .tiers(Duration.ofSeconds(1), Duration.ofSeconds(2))
            .circuit(50, 10, 5, Duration.ofSeconds(2))
            .build();
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(handler).build()) {
      consumer.start();
      List<String> ids = Fixture.send(broker, "flaky", Collections.nCopies(30, "pay"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> consumer.health().status() == Health.Status.DEGRADED);
      await()
          .atMost(Duration.ofSeconds(40))
          .until(
              () -> downSince.get() > 0 && System.currentTimeMillis() - downSince.get() >= 20_000);
      assertThat(handler.successes).isEmpty();
      down.set(false);
      await().atMost(Duration.ofSeconds(60)).until(() -> handler.succeededIds().containsAll(ids));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> consumer.health().status() == Health.Status.UP);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Fixture.committed(broker, "flaky-group", "flaky") == 30);
    }
    assertThat(Fixture.endOffsets(broker, "flaky.dlq"))
        .as("nothing dead-lettered for the outage")
        .isZero();
    assertThat(handler.calls.values().stream().mapToInt(c -> c.get()).sum())
        .as("the circuit held records instead of calling the dependency for each")
        .isLessThan(30 * 3);
  }

  @Test
  void brokerRestartWhileRecordsWaitInATierLosesNothing() {
    broker.createTopic("outage", 2);
    Recorder<byte[], byte[]> handler = Recorder.failingFirst(1);
    ReliableConsumerConfig config =
        Fixture.config(broker, "outage-group", "outage")
            .tiers(Duration.ofSeconds(2))
            .circuitEnabled(false)
            .build();
    AtomicInteger forwarded = new AtomicInteger();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(handler)
            .listener(Fixture.countingRetries(forwarded))
            .build()) {
      consumer.start();
      List<String> ids = Fixture.send(broker, "outage", Collections.nCopies(20, "x"));
      await().atMost(Duration.ofSeconds(30)).until(() -> forwarded.get() == 20);
      broker.stop();
      broker.restart();
      await().atMost(Duration.ofSeconds(90)).until(() -> handler.succeededIds().containsAll(ids));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Fixture.committed(broker, "outage-group.retry.2s", "outage.retry.2s") >= 20);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> consumer.health().status() == Health.Status.UP);
    }
    assertThat(Fixture.committed(broker, "outage-group", "outage")).isEqualTo(20);
    assertThat(Fixture.endOffsets(broker, "outage.dlq")).isZero();
    assertThat(handler.successes)
        .allSatisfy(s -> assertThat(s.topic()).isEqualTo("outage.retry.2s"));
  }

  private Set<String> memberIds(String group) {
    try {
      return broker
          .admin()
          .describeConsumerGroups(List.of(group))
          .all()
          .get()
          .get(group)
          .members()
          .stream()
          .map(m -> m.consumerId())
          .collect(Collectors.toSet());
    } catch (Exception e) {
      throw new AssertionError("cannot describe group " + group + ": " + e, e);
    }
  }
}
