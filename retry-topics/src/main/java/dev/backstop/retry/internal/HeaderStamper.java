package dev.backstop.retry.internal;

import static dev.backstop.core.BackstopHeaders.ATTEMPT;
import static dev.backstop.core.BackstopHeaders.CONSUMER_GROUP;
import static dev.backstop.core.BackstopHeaders.CREATED_AT;
import static dev.backstop.core.BackstopHeaders.ERROR_MESSAGE;
import static dev.backstop.core.BackstopHeaders.ERROR_STACKTRACE;
import static dev.backstop.core.BackstopHeaders.FIRST_FAILED_AT;
import static dev.backstop.core.BackstopHeaders.MESSAGE_ID;
import static dev.backstop.core.BackstopHeaders.ORIGINAL_OFFSET;
import static dev.backstop.core.BackstopHeaders.ORIGINAL_PARTITION;
import static dev.backstop.core.BackstopHeaders.ORIGINAL_TIMESTAMP;
import static dev.backstop.core.BackstopHeaders.ORIGINAL_TOPIC;
import static dev.backstop.core.BackstopHeaders.RETRY_DUE_AT;
import static dev.backstop.core.BackstopHeaders.RETRY_TIER;

import dev.backstop.core.HeldEntries;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.MessageId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes the header contract on consumed and forwarded records. Every write replaces the header of
 * that name, so headers never grow from hop to hop. Stateless and thread-safe.
 */
public final class HeaderStamper {

  private static final String SHORTENED = "…[removed: headers over the size limit]";

  private HeaderStamper() {}

  /**
   * The headers the handler sees. On a source topic the retry path starts over ({@code attempt} =
   * 1, no tier, no first failure): a replayed dead letter is a new delivery for this group. A
   * record without a message id gets one derived from where it was consumed.
   */
  public static Headers forHandler(ConsumerRecord<byte[], byte[]> record, boolean fromSource) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    stampMessageId(headers, record);
    if (fromSource) {
      MessageHeaders.set(headers, ATTEMPT, "1");
      headers.remove(RETRY_TIER);
      headers.remove(RETRY_DUE_AT);
      headers.remove(FIRST_FAILED_AT);
      headers.remove(HeldEntries.HEAD);
    } else {
      MessageHeaders.setIfAbsent(headers, ATTEMPT, "1");
    }
    return headers;
  }

  /**
   * The headers of a forward: the handler's headers plus origin (written once), group and error.
   */
  public static Headers failed(
      Headers handlerHeaders,
      ConsumerRecord<byte[], byte[]> record,
      String group,
      Throwable error,
      Instant now) {
    RecordHeaders headers = new RecordHeaders(handlerHeaders.toArray());
    stampMessageId(headers, record);
    MessageHeaders.setIfAbsent(headers, CREATED_AT, Long.toString(timestampOrNow(record, now)));
    MessageHeaders.setIfAbsent(headers, ORIGINAL_TOPIC, record.topic());
    MessageHeaders.setIfAbsent(headers, ORIGINAL_PARTITION, Integer.toString(record.partition()));
    MessageHeaders.setIfAbsent(headers, ORIGINAL_OFFSET, Long.toString(record.offset()));
    MessageHeaders.setIfAbsent(
        headers, ORIGINAL_TIMESTAMP, Long.toString(timestampOrNow(record, now)));
    MessageHeaders.set(headers, CONSUMER_GROUP, group);
    MessageHeaders.setError(headers, error, now);
    return headers;
  }

  /** Marks a forward to tier {@code tier}: the next delivery is attempt + 1, due at {@code due}. */
  public static void toTier(Headers headers, int tier, Instant dueAt) {
    int attempt = MessageHeaders.intValue(headers, ATTEMPT).orElse(1);
    MessageHeaders.set(headers, ATTEMPT, Integer.toString(attempt + 1));
    MessageHeaders.set(headers, RETRY_TIER, Integer.toString(tier));
    MessageHeaders.setInstant(headers, RETRY_DUE_AT, dueAt);
  }

  /**
   * Keeps the total header size within {@code maxBytes}: drops the stack trace first, then shortens
   * the error message. Returns whether the headers now fit.
   */
  public static boolean fit(Headers headers, int maxBytes) {
    if (MessageHeaders.totalSize(headers) <= maxBytes) {
      return true;
    }
    MessageHeaders.set(headers, ERROR_STACKTRACE, SHORTENED);
    if (MessageHeaders.totalSize(headers) <= maxBytes) {
      return true;
    }
    String message = MessageHeaders.string(headers, ERROR_MESSAGE).orElse("");
    MessageHeaders.set(headers, ERROR_MESSAGE, MessageHeaders.capUtf8(message, 128));
    return MessageHeaders.totalSize(headers) <= maxBytes;
  }

  /**
   * The message id of {@code record}: its {@code backstop.message-id} header, or the id derived
   * from where it was consumed, as {@link #forHandler} stamps it.
   */
  public static String messageIdOf(ConsumerRecord<?, ?> record) {
    return MessageHeaders.string(record.headers(), MESSAGE_ID)
        .orElse(derivedMessageId(record).toString());
  }

  /** Derives a message id only for a record that has none (hashing costs on every record). */
  private static void stampMessageId(Headers headers, ConsumerRecord<byte[], byte[]> record) {
    if (headers.lastHeader(MESSAGE_ID) == null) {
      MessageHeaders.set(headers, MESSAGE_ID, derivedMessageId(record).toString());
    }
  }

  /**
   * A message id for a record that arrived without one, derived from where it was consumed: the
   * same record consumed again (after a crash before the commit) gets the same id, so duplicates
   * are recognisable. A UUIDv7 whose time is the record's timestamp.
   */
  public static MessageId derivedMessageId(ConsumerRecord<?, ?> record) {
    byte[] hash = sha256(record.topic() + '\0' + record.partition() + '\0' + record.offset());
    ByteBuffer bits = ByteBuffer.wrap(hash);
    long millis = Math.max(0, record.timestamp()) & 0xFFFF_FFFF_FFFFL;
    long high = (millis << 16) | 0x7000L | (bits.getShort() & 0x0FFFL);
    long low = (bits.getLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return MessageId.of(new UUID(high, low));
  }

  private static long timestampOrNow(ConsumerRecord<?, ?> record, Instant now) {
    return record.timestamp() >= 0 ? record.timestamp() : now.toEpochMilli();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
