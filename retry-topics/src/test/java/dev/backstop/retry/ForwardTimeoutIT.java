package dev.backstop.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.Health;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A forward the wrapper gave up on is never delivered later beside the one it sends again. */
@BackstopKafka(brokers = 3)
class ForwardTimeoutIT {
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  private final KafkaBroker broker;

  ForwardTimeoutIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @Test
  void aForwardGivenUpAfterTheSendTimeoutNeverLandsBesideItsResend() throws Exception {
    broker.createTopic("slow-broker", 1);
    // the dead-letter topic lives on broker 2 alone: while it is down the partition has no
    // leader, and a forward waits in the producer until its delivery timeout
    broker
        .admin()
        .createTopics(List.of(new NewTopic("slow-broker.dlq", Map.of(0, List.of(2)))))
        .all()
        .get(30, TimeUnit.SECONDS);
    Recorder<byte[], byte[]> handler =
        new Recorder<>((record, previous) -> new IllegalArgumentException("invalid order"));
    ReliableConsumerConfig config =
        Fixture.config(broker, "slow-broker-group", "slow-broker")
            .deadLetterOn(IllegalArgumentException.class.getName())
            .set(ReliableConsumerConfig.SEND_TIMEOUT.name(), "10s")
            .build();
    try (ReliableConsumer consumer = ReliableConsumer.builder(config).handler(handler).build()) {
      consumer.start();
      broker.stopBroker(2);
      List<String> ids = Fixture.send(broker, "slow-broker", List.of("order"));
      await()
          .atMost(DEADLINE)
          .alias("the first forward was given up and the record handled again")
          .until(
              () ->
                  handler.callsOf(ids.get(0)) == 2
                      && consumer.health().status() == Health.Status.DEGRADED);
      // the second forward has most of its 10 s ahead: it lands, the first must not
      broker.startBroker(2);
      await()
          .atMost(DEADLINE)
          .until(() -> Fixture.committed(broker, "slow-broker-group", "slow-broker") == 1);
      List<ConsumerRecord<byte[], byte[]>> dead = broker.readToEnd("slow-broker.dlq", DEADLINE);
      assertThat(dead)
          .as("one dead letter, not the given-up forwards beside their resend")
          .hasSize(1);
      assertThat(Fixture.header(dead.get(0), BackstopHeaders.MESSAGE_ID)).isEqualTo(ids.get(0));
    }
  }
}
