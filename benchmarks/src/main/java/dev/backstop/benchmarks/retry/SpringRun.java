package dev.backstop.benchmarks.retry;

import dev.backstop.testkit.KafkaBroker;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.BackOff;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.EnableKafkaRetryTopic;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.RetryableTopic;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The baseline: Spring Kafka's non-blocking retries ({@code @RetryableTopic}, 2 attempts, a fixed 1
 * s back-off) in a plain Spring context, each container with one consumer per partition (its most
 * useful concurrency).
 */
final class SpringRun {
  private SpringRun() {}

  /** What the Spring beans need from the benchmark. */
  record Env(String bootstrapServers, Tally tally) {}

  static RetryTopicsBenchmark.Result run(
      KafkaBroker broker, String topic, int records, long waitMillis, int keys)
      throws InterruptedException {
    Tally tally = new Tally(records, RetryTopicsBenchmark.FAIL_EVERY, waitMillis, keys);
    long start = System.nanoTime();
    try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
      context.registerBean(Env.class, () -> new Env(broker.bootstrapServers(), tally));
      context.register(Beans.class);
      context.refresh();
      if (!tally.await(300)) {
        throw new IllegalStateException("Spring run: " + tally.remaining() + " records unhandled");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new RetryTopicsBenchmark.Result(
          "Spring Kafka @RetryableTopic",
          records,
          seconds,
          tally.lateness(RetryTopicsBenchmark.DELAY.toMillis()),
          tally.outOfOrder());
    }
  }

  /** The Spring configuration: consumer and producer factories, admin, the listener. */
  @Configuration
  @EnableKafka
  @EnableKafkaRetryTopic
  static class Beans {

    @Bean
    KafkaAdmin kafkaAdmin(Env env) {
      return new KafkaAdmin(
          Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers()));
    }

    @Bean
    DefaultKafkaConsumerFactory<byte[], byte[]> consumerFactory(Env env) {
      Map<String, Object> props = new HashMap<>();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers());
      props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      return new DefaultKafkaConsumerFactory<>(props);
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<byte[], byte[]> kafkaListenerContainerFactory(
        DefaultKafkaConsumerFactory<byte[], byte[]> consumerFactory) {
      ConcurrentKafkaListenerContainerFactory<byte[], byte[]> factory =
          new ConcurrentKafkaListenerContainerFactory<>();
      factory.setConsumerFactory(consumerFactory);
      factory.setConcurrency(RetryTopicsBenchmark.PARTITIONS); // one consumer per partition
      return factory;
    }

    @Bean(name = "retryTopicDefaultKafkaTemplate")
    KafkaTemplate<byte[], byte[]> kafkaTemplate(Env env) {
      Map<String, Object> props = new HashMap<>();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers());
      props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(props));
    }

    @Bean
    TaskScheduler taskScheduler() {
      ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
      scheduler.setPoolSize(2);
      return scheduler;
    }

    @Bean
    Listener listener(Env env) {
      return new Listener(env.tally());
    }
  }

  /** The listener under test. */
  static class Listener {
    private final Tally tally;

    Listener(Tally tally) {
      this.tally = tally;
    }

    @RetryableTopic(
        attempts = "2",
        backOff = @BackOff(delay = 1000),
        autoCreateTopics = "true",
        numPartitions = "4",
        replicationFactor = "1")
    @KafkaListener(topics = "bench-spring", groupId = "spring-bench")
    public void listen(ConsumerRecord<byte[], byte[]> record) {
      tally.handle(record.key(), record.value());
    }
  }
}
