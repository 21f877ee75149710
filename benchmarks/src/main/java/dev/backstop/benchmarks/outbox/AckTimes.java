package dev.backstop.benchmarks.outbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Producer interceptor that notes when the broker acknowledged each record (the moment the
 * producer's callbacks run), by topic, partition and offset, so a consumer can time commit → ack
 * beside commit → received. Installed through {@code interceptor.classes}. Thread-safe.
 */
public final class AckTimes implements ProducerInterceptor<byte[], byte[]> {

  private static final Map<String, Long> ACKED = new ConcurrentHashMap<>();

  /** The {@code System.nanoTime()} of the ack of that record, or null (not acknowledged yet). */
  static Long ackedAt(String topic, int partition, long offset) {
    return ACKED.get(topic + "/" + partition + "/" + offset);
  }

  @Override
  public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
    return record;
  }

  @Override
  public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    if (exception == null && metadata != null && metadata.hasOffset()) {
      ACKED.put(
          metadata.topic() + "/" + metadata.partition() + "/" + metadata.offset(),
          System.nanoTime());
    }
  }

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
