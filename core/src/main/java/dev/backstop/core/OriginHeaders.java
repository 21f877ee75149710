package dev.backstop.core;

import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;

/**
 * The producer helper: gives a record the origin headers of the contract, {@link
 * BackstopHeaders#MESSAGE_ID} (a new {@link MessageId}) and {@link BackstopHeaders#CREATED_AT},
 * when it has none. The message id is what the idempotent consumer deduplicates on, so a record
 * sent twice by a producer retry in the application, or replayed, is applied once.
 *
 * <p>Use it directly, {@code OriginHeaders.stamp(record.headers(), clock)}, or let every record of
 * a {@code KafkaProducer} be stamped by adding this class to its {@code interceptor.classes}.
 * Records that already carry the headers (from the outbox, a retry tier, a replay) keep them.
 *
 * <p>Thread-safe: the interceptor holds no state.
 */
public final class OriginHeaders implements ProducerInterceptor<Object, Object> {

  /** Creates the interceptor; Kafka calls this through {@code interceptor.classes}. */
  public OriginHeaders() {}

  /**
   * Adds a message id and a creation time to {@code headers} unless present.
   *
   * @return the record's message id, new or existing (as text; an unreadable one is kept as is)
   */
  public static String stamp(Headers headers, Clock clock) {
    if (headers.lastHeader(BackstopHeaders.MESSAGE_ID) == null) {
      MessageHeaders.set(headers, BackstopHeaders.MESSAGE_ID, MessageId.generate(clock).toString());
    }
    if (headers.lastHeader(BackstopHeaders.CREATED_AT) == null) {
      MessageHeaders.setInstant(headers, BackstopHeaders.CREATED_AT, clock.instant());
    }
    return MessageHeaders.string(headers, BackstopHeaders.MESSAGE_ID).orElse("");
  }

  @Override
  public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
    stamp(record.headers(), Clock.systemUTC());
    return record;
  }

  @Override
  public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
