package dev.backstop.retry;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.MessageId;
import dev.backstop.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Producing, reading and offset checks shared by the integration tests. */
final class Fixture {
  private Fixture() {}

  /**
   * A config for {@code group} on {@code topic} with quick polls and topic creation on, at the
   * concurrency of the system property {@code backstop.test.concurrency} when it is set.
   */
  static ReliableConsumerConfig.Builder config(KafkaBroker broker, String group, String topic) {
    ReliableConsumerConfig.Builder builder = ReliableConsumerConfig.builder();
    String concurrency = System.getProperty("backstop.test.concurrency");
    if (concurrency != null) {
      builder.concurrency(Integer.parseInt(concurrency)); // the ITs run at 1 and at the default
    }
    return builder
        .groupId(group)
        .topics(topic)
        .createTopics(true)
        .pollTimeout(Duration.ofMillis(200))
        .bootstrapServers(broker.bootstrapServers())
        .kafka("session.timeout.ms", 6000)
        .kafka("heartbeat.interval.ms", 1000);
  }

  /** Sends values (key = index) with a message id and created-at each; returns the ids. */
  static List<String> send(KafkaBroker broker, String topic, List<String> values) {
    List<String> ids = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      for (int i = 0; i < values.size(); i++) {
        String id = MessageId.generate().toString();
        ids.add(id);
        RecordHeaders headers = new RecordHeaders();
        MessageHeaders.set(headers, BackstopHeaders.MESSAGE_ID, id);
        MessageHeaders.setLong(headers, BackstopHeaders.CREATED_AT, System.currentTimeMillis());
        MessageHeaders.set(
            headers,
            BackstopHeaders.TRACEPARENT,
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        producer.send(
            new ProducerRecord<>(
                topic,
                null,
                bytes("k" + i),
                values.get(i) == null ? null : bytes(values.get(i)),
                headers));
      }
      producer.flush();
    }
    return ids;
  }

  /**
   * Puts records straight into a tier topic, as forwards of {@code group} due now would look: a
   * backlog of records that failed before. Returns their message ids.
   */
  static List<String> sendToTier(
      KafkaBroker broker, String tierTopic, String group, int count, String value) {
    List<String> ids = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      for (int i = 0; i < count; i++) {
        String id = MessageId.generate().toString();
        ids.add(id);
        RecordHeaders headers = new RecordHeaders();
        MessageHeaders.set(headers, BackstopHeaders.MESSAGE_ID, id);
        MessageHeaders.set(headers, BackstopHeaders.CONSUMER_GROUP, group);
        MessageHeaders.set(headers, BackstopHeaders.RETRY_TIER, "1");
        MessageHeaders.set(headers, BackstopHeaders.ATTEMPT, "2");
        MessageHeaders.setLong(headers, BackstopHeaders.RETRY_DUE_AT, System.currentTimeMillis());
        MessageHeaders.setLong(
            headers, BackstopHeaders.FIRST_FAILED_AT, System.currentTimeMillis());
        producer.send(new ProducerRecord<>(tierTopic, null, bytes("t" + i), bytes(value), headers));
      }
      producer.flush();
    }
    return ids;
  }

  /** Sends raw value bytes without any Backstop header. */
  static void sendRaw(KafkaBroker broker, String topic, byte[] value) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      producer.send(new ProducerRecord<>(topic, bytes("raw"), value));
      producer.flush();
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String header(ConsumerRecord<?, ?> record, String name) {
    return MessageHeaders.string(record.headers(), name).orElse(null);
  }

  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  /** Committed offsets of the group, summed over the topic's partitions. */
  static long committed(KafkaBroker broker, String group, String topic) {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          broker
              .admin()
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      return offsets.entrySet().stream()
          .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
          .mapToLong(e -> e.getValue().offset())
          .sum();
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("cannot read the offsets of group " + group + ": " + e, e);
    }
  }

  /** End offsets of a topic, summed over its partitions. */
  static long endOffsets(KafkaBroker broker, String topic) {
    try {
      int partitions =
          broker
              .admin()
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .size();
      Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
      for (int p = 0; p < partitions; p++) {
        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
          broker.admin().listOffsets(request).all().get(10, TimeUnit.SECONDS);
      return result.values().stream()
          .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
          .sum();
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("cannot read the end offsets of " + topic + ": " + e, e);
    }
  }

  /** A listener that counts forwards to tiers. */
  static RetryListener countingRetries(AtomicInteger count) {
    return new RetryListener() {
      @Override
      public void onRetry(ConsumerRecord<byte[], byte[]> record, String tier, Throwable error) {
        count.incrementAndGet();
      }
    };
  }

  /** The members of a consumer group. */
  static Collection<MemberDescription> members(KafkaBroker broker, String group) {
    try {
      return broker
          .admin()
          .describeConsumerGroups(List.of(group))
          .all()
          .get(10, TimeUnit.SECONDS)
          .get(group)
          .members();
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("cannot describe group " + group + ": " + e, e);
    }
  }

  /** p-th percentile (0..100) of sorted millis. */
  static long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
