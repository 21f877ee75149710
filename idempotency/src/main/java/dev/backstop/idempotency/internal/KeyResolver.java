package dev.backstop.idempotency.internal;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.HeaderValue;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.MessageId;
import dev.backstop.idempotency.MessageKeyExtractor;
import dev.backstop.idempotency.MissingKeyPolicy;
import dev.backstop.idempotency.UnidentifiableRecordException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Finds the dedup key of a record: the {@code backstop.message-id} header; else the business key of
 * the configured extractor; else what the {@link MissingKeyPolicy} says. A malformed id or key is
 * always rejected, naming the record. Immutable and thread-safe if the extractor is.
 *
 * @param <K> record key type
 * @param <V> record value type
 */
public final class KeyResolver<K, V> {
  private static final int MAX_SHOWN_BYTES = 120;
  private final MessageKeyExtractor<K, V> extractor;
  private final MissingKeyPolicy policy;

  /**
   * @param extractor business-key extractor, or null for none
   * @param policy what to do when there is no key at all
   */
  public KeyResolver(MessageKeyExtractor<K, V> extractor, MissingKeyPolicy policy) {
    this.extractor = extractor;
    this.policy = policy;
  }

  /**
   * The record's key; empty when it has none and the policy is {@link MissingKeyPolicy#NO_DEDUP}.
   *
   * @throws UnidentifiableRecordException when the record cannot be keyed
   */
  public Optional<String> keyOf(ConsumerRecord<K, V> record) {
    Header header = record.headers().lastHeader(BackstopHeaders.MESSAGE_ID);
    if (header != null) {
      HeaderValue<MessageId> id = MessageHeaders.messageId(record.headers());
      if (!id.isPresent()) {
        String raw =
            header.value() == null
                ? "null"
                : "'"
                    + MessageHeaders.capUtf8(
                        new String(header.value(), StandardCharsets.UTF_8), MAX_SHOWN_BYTES)
                    + "'";
        throw reject(
            record,
            "has a malformed "
                + BackstopHeaders.MESSAGE_ID
                + " header "
                + raw
                + " ("
                + id.problem()
                + "): it must be a UUID; the record was not processed");
      }
      return Optional.of(id.value().toString());
    }
    if (extractor != null) {
      String key = extractor.keyOf(record);
      if (key != null) {
        return Optional.of(checkBusinessKey(record, key));
      }
    }
    return switch (policy) {
      case REJECT ->
          throw reject(
              record,
              "has no "
                  + BackstopHeaders.MESSAGE_ID
                  + " header and "
                  + (extractor == null
                      ? "no business-key extractor is configured"
                      : "the business-key extractor found no key")
                  + ": it cannot be deduplicated. Fix the producer, configure a MessageKeyExtractor,"
                  + " or set backstop.idempotency.missing-key to offset or no-dedup");
      case OFFSET ->
          Optional.of(
              "offset:" + record.topic() + "/" + record.partition() + "/" + record.offset());
      case NO_DEDUP -> Optional.empty();
    };
  }

  private static String checkBusinessKey(ConsumerRecord<?, ?> record, String key) {
    String problem = BatchClaims.problem(key);
    if (problem != null) {
      throw reject(record, "has a business key that " + problem);
    }
    return key;
  }

  private static UnidentifiableRecordException reject(ConsumerRecord<?, ?> record, String reason) {
    return new UnidentifiableRecordException(
        record.topic(), record.partition(), record.offset(), reason);
  }

  /** A record's coordinates for logs and messages: {@code topic-partition@offset}. */
  public static String name(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
