package dev.backstop.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;

/**
 * The producer helper: gives a record the origin headers of the contract, {@link
 * BackstopHeaders#MESSAGE_ID} and {@link BackstopHeaders#CREATED_AT}, when it has none. The message
 * id is what the idempotent consumer deduplicates on.
 *
 * <p>Use it directly, {@code OriginHeaders.stamp(record.headers(), clock)}, or let every record of
 * a {@code KafkaProducer} be stamped by adding this class to its {@code interceptor.classes}.
 * Records that already carry the headers (from the outbox, a retry tier, a replay) keep them.
 *
 * <p>One id per message, not per record object: {@link #stamp} and the interceptor write the id
 * into the record's headers, so the <em>same</em> {@code ProducerRecord} sent again (an application
 * retry of {@code send}) carries the same id, and a replay keeps it. A record <em>built again</em>
 * for the same message (after a crash, from the service's own state) is new to them and gets a new
 * id, so the consumer would apply it a second time. For such a record, stamp it with {@link
 * #stampFromKey} and a business key that names the message ({@code "order-17/paid"}): every record
 * built with the same key carries the same id.
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

  /**
   * Adds a message id derived from {@code businessKey}, and a creation time, to {@code headers}
   * unless present. Every record stamped with the same business key gets the same id, however often
   * it is built and sent; different keys give different ids (a SHA-256 of the key). The id is a
   * valid UUIDv7, but its time field comes from the hash, so such ids do not sort by creation time.
   *
   * @param businessKey names the message, not the record: e.g. {@code "order-17/paid"}; not blank
   * @return the record's message id, derived or existing (as text)
   * @throws IllegalArgumentException when {@code businessKey} is null or blank
   */
  public static String stampFromKey(Headers headers, String businessKey, Clock clock) {
    if (businessKey == null || businessKey.isBlank()) {
      throw new IllegalArgumentException(
          "Invalid business key '" + businessKey + "': must name the message, e.g. order-17/paid");
    }
    if (headers.lastHeader(BackstopHeaders.MESSAGE_ID) == null) {
      MessageHeaders.set(headers, BackstopHeaders.MESSAGE_ID, idFromKey(businessKey));
    }
    return stamp(headers, clock);
  }

  /** A UUIDv7-shaped id whose 122 free bits are the first bits of SHA-256 of the key. */
  private static String idFromKey(String businessKey) {
    byte[] hash;
    try {
      hash =
          MessageDigest.getInstance("SHA-256")
              .digest(("backstop.message-id:" + businessKey).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
    ByteBuffer bits = ByteBuffer.wrap(hash);
    long msb = (bits.getLong() & ~0xF000L) | 0x7000L;
    long lsb = (bits.getLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return MessageId.of(new UUID(msb, lsb)).toString();
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
