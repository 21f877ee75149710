package dev.backstop.spring;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageId;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The real broker (one per JVM) and a fresh PostgreSQL schema per test class, for the ITs. */
final class Infra {
  private static KafkaBroker broker;

  private Infra() {}

  private static final java.util.Map<String, TestDatabase> OPEN = new ConcurrentHashMap<>();

  /** Drops the test class's schema when its context closes, after Backstop's lifecycle stopped. */
  @org.springframework.boot.test.context.TestConfiguration
  static class Schema {
    @org.springframework.context.annotation.Bean
    AutoCloseable backstopTestSchema(org.springframework.core.env.Environment env) {
      TestDatabase db = OPEN.remove(env.getProperty("spring.datasource.url"));
      return db == null ? () -> {} : db;
    }
  }

  static synchronized KafkaBroker broker() {
    if (broker == null) {
      broker = KafkaBroker.start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
    }
    return broker;
  }

  /** Points {@code spring.kafka.*} and {@code spring.datasource.*} at the broker and {@code db}. */
  static void register(DynamicPropertyRegistry registry, TestDatabase db) {
    OPEN.put(db.jdbcUrl(), db);
    registry.add("spring.kafka.bootstrap-servers", () -> broker().bootstrapServers());
    registry.add("spring.datasource.url", db::jdbcUrl);
    if (!db.user().isEmpty()) {
      registry.add("spring.datasource.username", db::user);
    }
    registry.add("spring.datasource.password", db::password);
  }

  static void send(String topic, String key, String value) {
    send(topic, key, value, MessageId.generate().toString());
  }

  static void send(String topic, String key, String value, String messageId) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", broker().bootstrapServers(), "acks", "all"),
            new StringSerializer(),
            new StringSerializer())) {
      ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
      record.headers().add(BackstopHeaders.MESSAGE_ID, messageId.getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException("could not send to " + topic, e);
    }
  }

  /** Every record in {@code topic} up to its end offsets now. */
  static List<ConsumerRecord<String, String>> readAll(String topic) {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                broker().bootstrapServers(),
                "group.id",
                "reader-" + UUID.randomUUID(),
                "isolation.level",
                "read_committed"),
            new StringDeserializer(),
            new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }
}
