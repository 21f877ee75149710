package dev.backstop.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@BackstopKafka
class KafkaBrokerIT {

  private final KafkaBroker broker;

  KafkaBrokerIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @Test
  void producesAndConsumesThroughAConsumerGroup() {
    broker.createTopic("greetings", 3);
    send("greetings", 0, 30);

    List<String> seen = consumeWithGroup("greetings", "readers", 30);

    assertThat(seen).hasSize(30).doesNotHaveDuplicates();
  }

  @Test
  void keepsCommittedRecordsAcrossABrokerRestart() {
    broker.createTopic("durable", 2);
    send("durable", 0, 20);
    assertThat(consumeWithGroup("durable", "restarters", 20)).hasSize(20);

    broker.stop();
    broker.restart();
    send("durable", 20, 10);

    // the group resumes after its committed offsets: only the new records arrive
    assertThat(consumeWithGroup("durable", "restarters", 10))
        .containsExactlyInAnyOrderElementsOf(range(20, 30));
    assertThat(broker.readAll("durable", 30, Duration.ofSeconds(30))).hasSize(30);
    assertThat(broker.readToEnd("durable", Duration.ofSeconds(30))).hasSize(30);
  }

  private void send(String topic, int from, int count) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      for (String value : range(from, from + count)) {
        producer.send(new ProducerRecord<>(topic, value.getBytes(UTF_8), value.getBytes(UTF_8)));
      }
      producer.flush();
    }
  }

  private List<String> consumeWithGroup(String topic, String group, int expected) {
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(broker.consumerConfig(group))) {
      consumer.subscribe(List.of(topic));
      Awaitility.await("records of " + topic)
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                  seen.add(new String(r.value(), UTF_8));
                }
                return seen.size() >= expected;
              });
      consumer.commitSync();
    }
    return seen;
  }

  private static List<String> range(int from, int to) {
    List<String> values = new ArrayList<>();
    for (int i = from; i < to; i++) {
      values.add("v" + i);
    }
    return values;
  }

  @Test
  void topicConfigsApply() throws Exception {
    broker.createTopic("small", 1, Map.of("max.message.bytes", "2048"));
    var config =
        broker
            .admin()
            .describeConfigs(
                List.of(
                    new org.apache.kafka.common.config.ConfigResource(
                        org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "small")))
            .all()
            .get()
            .values()
            .iterator()
            .next();
    assertThat(config.get("max.message.bytes").value()).isEqualTo("2048");
  }
}
