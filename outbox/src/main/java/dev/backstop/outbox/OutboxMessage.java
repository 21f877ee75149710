package dev.backstop.outbox;

import dev.backstop.core.BackstopHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * A Kafka record to publish once the caller's transaction commits: topic, key, value and headers.
 * The outbox adds {@code backstop.message-id} and {@code backstop.created-at}; a {@code
 * traceparent} header given here is passed through unchanged. Validation happens in {@code
 * Outbox.send}, against the configured size limit. Immutable (the byte arrays are not copied: do
 * not change them after handing them over) and thread-safe.
 *
 * @param topic the Kafka topic
 * @param key the record key (null: no key, no per-key order)
 * @param value the record value (null: a tombstone)
 * @param headers application headers, in order
 */
public record OutboxMessage(String topic, byte[] key, byte[] value, List<Header> headers) {

  public OutboxMessage {
    headers = headers == null ? List.of() : List.copyOf(headers);
  }

  /** A message with a binary key and no headers. */
  public static OutboxMessage of(String topic, byte[] key, byte[] value) {
    return new OutboxMessage(topic, key, value, List.of());
  }

  /** A message whose key is the UTF-8 bytes of {@code key}. */
  public static OutboxMessage of(String topic, String key, byte[] value) {
    return of(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  /** This message with one more header (UTF-8 value). */
  public OutboxMessage withHeader(String name, String text) {
    return withHeader(name, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
  }

  /** This message with one more header. */
  public OutboxMessage withHeader(String name, byte[] bytes) {
    List<Header> more = new ArrayList<>(headers);
    more.add(new RecordHeader(name, bytes));
    return new OutboxMessage(topic, key, value, more);
  }

  /** This message carrying the W3C trace context of the current span. */
  public OutboxMessage withTraceparent(String traceparent) {
    return withHeader(BackstopHeaders.TRACEPARENT, traceparent);
  }
}
