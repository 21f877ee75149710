package dev.backstop.dlq;

import static dev.backstop.dlq.Records.*;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.MessageId;
import dev.backstop.testkit.KafkaBroker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Writes dead letters the way Backstop, Spring Kafka and Kafka Connect write them. */
public final class Fixtures implements AutoCloseable {
  private final KafkaBroker broker;
  private final KafkaProducer<byte[], byte[]> producer;

  public Fixtures(KafkaBroker broker) {
    this.broker = broker;
    this.producer = new KafkaProducer<>(broker.producerConfig());
  }

  /** Backstop's contract headers, as the consumer wrapper writes them. */
  public static Headers backstop(
      String messageId,
      String originalTopic,
      int partition,
      long offset,
      Throwable error,
      Instant failedAt) {
    Headers h = new RecordHeaders();
    MessageHeaders.set(h, BackstopHeaders.MESSAGE_ID, messageId);
    MessageHeaders.setInstant(h, BackstopHeaders.CREATED_AT, failedAt.minusSeconds(60));
    MessageHeaders.set(h, BackstopHeaders.ORIGINAL_TOPIC, originalTopic);
    MessageHeaders.setLong(h, BackstopHeaders.ORIGINAL_PARTITION, partition);
    MessageHeaders.setLong(h, BackstopHeaders.ORIGINAL_OFFSET, offset);
    MessageHeaders.setInstant(h, BackstopHeaders.ORIGINAL_TIMESTAMP, failedAt.minusSeconds(30));
    MessageHeaders.set(h, BackstopHeaders.CONSUMER_GROUP, "payments");
    MessageHeaders.setLong(h, BackstopHeaders.ATTEMPT, 4);
    MessageHeaders.setError(h, error, failedAt);
    return h;
  }

  public static String newMessageId() {
    return MessageId.generate().toString();
  }

  /** Spring Kafka's DeadLetterPublishingRecoverer headers: binary ints and longs. */
  public static Headers spring(
      String originalTopic, int partition, long offset, String exception, String message) {
    Headers h = new RecordHeaders();
    h.add("kafka_dlt-original-topic", utf8(originalTopic));
    h.add("kafka_dlt-original-partition", int32(partition));
    h.add("kafka_dlt-original-offset", int64(offset));
    h.add("kafka_dlt-original-timestamp", int64(1_700_000_000_000L));
    h.add("kafka_dlt-original-timestamp-type", utf8("CreateTime"));
    h.add("kafka_dlt-original-consumer-group", utf8("spring-group"));
    h.add("kafka_dlt-exception-fqcn", utf8(exception));
    h.add("kafka_dlt-exception-message", utf8(message));
    h.add(
        "kafka_dlt-exception-stacktrace",
        utf8(exception + ": " + message + "\n\tat com.acme.Listener.on(Listener.java:12)"));
    return h;
  }

  /** Kafka Connect's dead-letter context headers: all text. */
  public static Headers connect(
      String originalTopic, int partition, long offset, String exception, String message) {
    Headers h = new RecordHeaders();
    h.add("__connect.errors.topic", utf8(originalTopic));
    h.add("__connect.errors.partition", utf8(Integer.toString(partition)));
    h.add("__connect.errors.offset", utf8(Long.toString(offset)));
    h.add("__connect.errors.connector.name", utf8("jdbc-sink"));
    h.add("__connect.errors.task.id", utf8("0"));
    h.add("__connect.errors.stage", utf8("VALUE_CONVERTER"));
    h.add("__connect.errors.class.name", utf8("org.apache.kafka.connect.json.JsonConverter"));
    h.add("__connect.errors.exception.class.name", utf8(exception));
    h.add("__connect.errors.exception.message", utf8(message));
    return h;
  }

  /** Sends and waits for the acknowledgement. */
  public void send(
      String topic, Integer partition, Long timestamp, String key, byte[] value, Headers headers) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  topic, partition, timestamp, key == null ? null : utf8(key), value, headers))
          .get();
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError("could not write a fixture to " + topic, e);
    }
  }

  /** Sends without waiting; call {@link #flush()}. */
  public void sendAsync(
      String topic, Integer partition, Long timestamp, String key, byte[] value, Headers headers) {
    producer.send(
        new ProducerRecord<>(
            topic, partition, timestamp, key == null ? null : utf8(key), value, headers));
  }

  public void flush() {
    producer.flush();
  }

  /** Every record of {@code topic} now. */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    return broker.readToEnd(topic, java.time.Duration.ofSeconds(30));
  }

  /** Every record of {@code topic} a {@code read_committed} consumer sees now. */
  public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
    return read(topic, "read_committed");
  }

  /** Every record of {@code topic} a {@code read_uncommitted} consumer sees now. */
  public List<ConsumerRecord<byte[], byte[]>> readUncommitted(String topic) {
    return read(topic, "read_uncommitted");
  }

  /** How many records a {@code read_committed} consumer of {@code topic} sees now. */
  public long committedCount(String topic) {
    return readCommitted(topic).size();
  }

  private List<ConsumerRecord<byte[], byte[]>> read(String topic, String isolation) {
    Map<String, Object> config = new java.util.HashMap<>(broker.consumerConfig("count"));
    config.remove(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG);
    config.put(org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
            config,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to " + ends + " within 30s");
        }
        consumer.poll(java.time.Duration.ofMillis(100)).forEach(records::add);
      }
      return records;
    }
  }

  /** Sum of end offsets of {@code topic}: how many records (and markers) were ever written. */
  public long endOffsets(String topic) {
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
            broker.consumerConfig("count"))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      return ends.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** The {@code backstop.message-id} of each record. */
  public static List<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> header(r, BackstopHeaders.MESSAGE_ID)).toList();
  }

  /** The last value of header {@code name} as text, or null. */
  public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var h = record.headers().lastHeader(name);
    return h == null || h.value() == null
        ? null
        : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close();
  }
}
