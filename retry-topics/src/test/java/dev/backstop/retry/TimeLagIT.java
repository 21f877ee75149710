package dev.backstop.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The time-lag gauge: how old the oldest unfinished record of a partition is. */
@BackstopKafka
class TimeLagIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final KafkaBroker broker;

  TimeLagIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @Test
  void theLagGaugeRisesWhileAHandlerIsBlockedAndFallsAfter() throws Exception {
    broker.createTopic("lagging", 1);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean entered = new AtomicBoolean();
    ReliableConsumerConfig config =
        Fixture.config(broker, "lagging-group", "lagging").tiers(Duration.ofSeconds(1)).build();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(
                record -> {
                  entered.set(true);
                  release.await(2, TimeUnit.MINUTES);
                })
            .metrics(ConsumerMetrics.micrometer(registry))
            .build()) {
      consumer.start();
      Fixture.send(broker, "lagging", List.of("blocked", "behind"));
      await().atMost(DEADLINE).untilTrue(entered);
      await().atMost(DEADLINE).until(() -> lag(registry) > 0);
      double first = lag(registry);
      await()
          .atMost(DEADLINE)
          .alias("the lag grows while the oldest record is unfinished")
          .until(() -> lag(registry) > first);
      release.countDown();
      await()
          .atMost(DEADLINE)
          .alias("the lag falls to 0 once every fetched record is finished")
          .until(() -> lag(registry) == 0.0);
      assertThat(registry.find(RetryMetricNames.LAG).gauges())
          .extracting(g -> g.getId().getTag(RetryMetricNames.TAG_TOPIC))
          .contains("lagging");
    }
    assertThat(registry.find(RetryMetricNames.LAG).gauges())
        .as("closing the consumer removes its lag gauges")
        .isEmpty();
  }

  private static double lag(SimpleMeterRegistry registry) {
    Gauge gauge =
        registry
            .find(RetryMetricNames.LAG)
            .tag(RetryMetricNames.TAG_GROUP, "lagging-group")
            .tag(RetryMetricNames.TAG_TOPIC, "lagging")
            .tag(RetryMetricNames.TAG_PARTITION, "0")
            .gauge();
    return gauge == null ? -1 : gauge.value();
  }
}
