package dev.backstop.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@BackstopKafka(brokers = 3)
class ThreeBrokerIT {

  @Test
  void survivesTheDeathOfOneBroker(KafkaBroker cluster) throws Exception {
    assertThat(cluster.brokerIds()).hasSize(3);
    cluster.createTopic("replicated", 3);
    int victim = cluster.brokerIds().iterator().next();

    cluster.stopBroker(victim);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(cluster.producerConfig())) {
      for (int i = 0; i < 30; i++) {
        producer
            .send(new ProducerRecord<>("replicated", ("k" + i).getBytes(UTF_8), new byte[10]))
            .get();
      }
    }
    cluster.startBroker(victim);

    assertThat(cluster.readAll("replicated", 30, Duration.ofSeconds(60))).hasSize(30);
  }
}
