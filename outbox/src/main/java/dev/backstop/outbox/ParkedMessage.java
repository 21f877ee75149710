package dev.backstop.outbox;

import dev.backstop.core.MessageId;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Header;

/**
 * A message the relay parked: Kafka rejected it for good, or it follows a rejected message of the
 * same key. It stays in {@code <prefix>outbox_parked} until requeued. Immutable.
 *
 * @param lane the lane of its key
 * @param seq its position in the lane (requeue keeps it, so order holds)
 * @param messageId its {@code backstop.message-id}
 * @param topic the Kafka topic
 * @param key the record key
 * @param value the record value
 * @param headers the record headers, including the message id and creation time
 * @param createdAt when it was written
 * @param parkedAt when it was parked
 * @param reason why: the Kafka error, or that it follows a parked message of its key
 */
public record ParkedMessage(
    int lane,
    long seq,
    MessageId messageId,
    String topic,
    byte[] key,
    byte[] value,
    List<Header> headers,
    Instant createdAt,
    Instant parkedAt,
    String reason) {}
