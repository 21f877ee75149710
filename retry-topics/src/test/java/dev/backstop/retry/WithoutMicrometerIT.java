package dev.backstop.retry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wrapper without Micrometer on the class path: {@link ConsumerMetrics} loads, and a consumer
 * built with {@link ConsumerMetrics#NONE} retries as ever. Runs only in the failsafe execution
 * {@code without-micrometer}, whose class path excludes {@code io.micrometer:*} (see this module's
 * pom).
 */
@BackstopKafka
class WithoutMicrometerIT {

  @Test
  void theClassPathHasNoMicrometer() {
    assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void retriesWithoutMicrometer(KafkaBroker broker) {
    broker.createTopic("no-micrometer", 1);
    Recorder<byte[], byte[]> handler = Recorder.failingFirst(1);
    ReliableConsumerConfig config =
        Fixture.config(broker, "no-micrometer", "no-micrometer")
            .tiers(Duration.ofSeconds(1))
            .build();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config).handler(handler).metrics(ConsumerMetrics.NONE).build()) {
      consumer.start();
      List<String> ids = Fixture.send(broker, "no-micrometer", List.of("order"));
      await().atMost(Duration.ofSeconds(60)).until(() -> handler.succeededIds().containsAll(ids));
    }
  }
}
