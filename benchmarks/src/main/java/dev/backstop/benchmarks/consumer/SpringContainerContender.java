package dev.backstop.benchmarks.consumer;

import dev.backstop.testkit.KafkaBroker;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;

/**
 * Spring Kafka's {@link ConcurrentMessageListenerContainer}: {@code concurrency} consumers, each
 * handling its partitions one record at a time (per-partition order), every other setting at its
 * default.
 */
record SpringContainerContender(int concurrency) implements Contender {

  @Override
  public String name() {
    return "Spring Kafka ConcurrentMessageListenerContainer, concurrency " + concurrency;
  }

  @Override
  public double run(KafkaBroker broker, String topic, String group, Work work) throws Exception {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    long start = System.nanoTime(); // the clients' construction counts, as for the others
    ContainerProperties containerProperties = new ContainerProperties(topic);
    containerProperties.setMessageListener(
        (MessageListener<byte[], byte[]>)
            record -> work.handle(record.partition(), record.offset()));
    ConcurrentMessageListenerContainer<byte[], byte[]> container =
        new ConcurrentMessageListenerContainer<>(
            new DefaultKafkaConsumerFactory<>(props), containerProperties);
    container.setConcurrency(concurrency);
    container.start();
    try {
      if (!work.await(600)) {
        throw Contender.unfinished(name(), work);
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      container.stop();
    }
  }
}
