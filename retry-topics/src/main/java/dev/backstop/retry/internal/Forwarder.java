package dev.backstop.retry.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;

/**
 * Sends records to tier and dead-letter topics with the raw key and value. A record keeps its
 * partition number when the target has that partition (tier topics are checked to have at least as
 * many as the source), else the producer's partitioner picks by key. Thread-safe.
 */
final class Forwarder {
  private final Producer<byte[], byte[]> producer;
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();

  Forwarder(Producer<byte[], byte[]> producer) {
    this.producer = producer;
  }

  /**
   * Starts the send; the future completes when the broker acknowledged it or the producer gave up
   * (within its {@code delivery.timeout.ms}). A send that fails at once (metadata unavailable,
   * buffer exhausted) comes back as a failed future, so the caller treats it like a failed
   * acknowledgement.
   */
  CompletableFuture<RecordMetadata> send(
      String topic, ConsumerRecord<byte[], byte[]> record, Headers headers) {
    try {
      int partitions =
          partitionCounts.computeIfAbsent(topic, t -> producer.partitionsFor(t).size());
      Integer partition = record.partition() < partitions ? record.partition() : null;
      return send(
          new ProducerRecord<>(topic, partition, null, record.key(), record.value(), headers));
    } catch (KafkaException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Sends {@code record} as it is; the future completes as {@link #send(String, ConsumerRecord,
   * Headers)}'s.
   */
  CompletableFuture<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
    CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
    try {
      producer.send(
          record,
          (metadata, error) -> {
            if (error != null) {
              ack.completeExceptionally(error);
            } else {
              ack.complete(metadata);
            }
          });
    } catch (KafkaException e) {
      ack.completeExceptionally(e);
    }
    return ack;
  }
}
