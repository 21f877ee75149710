package dev.backstop.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.Health;
import dev.backstop.core.OriginHeaders;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

/** Start, stop and errors leave no thread, client or permit behind. */
@BackstopKafka
class LifecycleIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final KafkaBroker broker;

  LifecycleIT(KafkaBroker broker) {
    this.broker = broker;
  }

  private static List<Thread> liveThreads(String part) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().contains(part))
        .toList();
  }

  @Test
  void anErrorInTheHalfOpenProbeDoesNotLeaveTheOtherLoopsHoldingForEver() {
    broker.createTopic("probe", 1);
    AtomicBoolean down = new AtomicBoolean(true);
    Recorder<byte[], byte[]> handler =
        new Recorder<>(
            (record, previous) -> {
              if (down.get()) {
                return new IllegalStateException("dependency down");
              }
              if (record.topic().equals("probe")) {
                throw new ExceptionInInitializerError("a class failed to load in the probe");
              }
              return null;
            });
    AtomicInteger forwarded = new AtomicInteger();
    ReliableConsumerConfig config =
        Fixture.config(broker, "probe-group", "probe")
            .tiers(Duration.ofSeconds(1))
            .circuit(50, 4, 2, Duration.ofSeconds(1))
            .build();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(handler)
            .listener(Fixture.countingRetries(forwarded))
            .build()) {
      consumer.start();
      List<String> first = Fixture.send(broker, "probe", List.of("a"));
      await().atMost(DEADLINE).until(() -> forwarded.get() == 1);
      Fixture.send(broker, "probe", List.of("b", "c"));
      await()
          .atMost(DEADLINE)
          .until(() -> consumer.health().details().get("circuit").equals("OPEN"));
      down.set(false);
      await()
          .atMost(DEADLINE)
          .alias("the main loop died on the Error of its probe")
          .until(() -> consumer.health().status() == Health.Status.DOWN);
      await()
          .atMost(DEADLINE)
          .alias("the tier got the probe permit back and closed the circuit")
          .until(() -> handler.succeededIds().containsAll(first));
    }
  }

  @Test
  void aFailedStartClosesTheClientsItBuilt() {
    broker.createTopic("bad-start", 1);
    ReliableConsumerConfig config =
        Fixture.config(broker, "bad-start-group", "bad-start")
            .tiers(Duration.ofSeconds(1))
            // a producer interceptor: the forward producer takes it, the consumer refuses it
            .kafka("interceptor.classes", OriginHeaders.class.getName())
            .build();
    ReliableConsumer consumer = ReliableConsumer.builder(config).handler(r -> {}).build();
    assertThatThrownBy(consumer::start).isInstanceOf(KafkaException.class);
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(liveThreads("backstop-bad-start-group"))
                    .as("no producer thread of the failed start is left")
                    .isEmpty());
    assertThat(consumer.health().status()).isEqualTo(Health.Status.DOWN);
    consumer.close();
  }

  @Test
  void aHandlerThatNeverReturnsDoesNotKeepTheJvmAliveAfterClose() {
    broker.createTopic("stuck", 1);
    CountDownLatch entered = new CountDownLatch(1);
    ReliableConsumerConfig config =
        Fixture.config(broker, "stuck-group", "stuck")
            .set(ReliableConsumerConfig.SHUTDOWN_TIMEOUT.name(), "2s")
            .build();
    ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(
                (ConsumerRecord<byte[], byte[]> record) -> {
                  entered.countDown();
                  while (true) {
                    try {
                      new CountDownLatch(1).await(); // ignores interrupts: blocks for ever
                    } catch (InterruptedException e) {
                      // keep blocking
                    }
                  }
                })
            .build();
    consumer.start();
    Fixture.send(broker, "stuck", List.of("x"));
    await().atMost(DEADLINE).until(() -> entered.getCount() == 0);
    consumer.close();
    assertThat(liveThreads("backstop-stuck-group"))
        .as("threads left after close() are daemons")
        .allSatisfy(t -> assertThat(t.isDaemon()).as(t.getName()).isTrue());
    assertThat(Fixture.committed(broker, "stuck-group", "stuck"))
        .as("the unfinished record stays uncommitted")
        .isZero();
  }
}
