package dev.backstop.outbox.internal;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.MessageId;
import dev.backstop.core.Utf8Text;
import dev.backstop.outbox.InvalidOutboxMessageException;
import dev.backstop.outbox.OutboxException;
import dev.backstop.outbox.OutboxMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.internals.Topic;

/**
 * Writes one message into the caller's transaction: validates it, stamps the message id and
 * creation time, takes the lane sequence and inserts the row. Immutable and thread-safe.
 */
public final class OutboxWriter {

  private final Dialect dialect;
  private final Clock clock;
  private final int lanes;
  private final int maxMessageBytes;

  public OutboxWriter(Dialect dialect, Clock clock, int lanes, int maxMessageBytes) {
    this.dialect = dialect;
    this.clock = clock;
    this.lanes = lanes;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Inserts {@code message} through {@code connection}, inside whatever transaction it is in. */
  public MessageId send(Connection connection, OutboxMessage message) {
    return send(connection, message, newId());
  }

  /** A new message id, for {@link #send(Connection, OutboxMessage, MessageId)}. */
  public MessageId newId() {
    return MessageId.generate(clock);
  }

  /** Inserts {@code message} under {@code id}, which decides the lane of a key-less message. */
  public MessageId send(Connection connection, OutboxMessage message, MessageId id) {
    validate(message);
    RecordHeaders headers = new RecordHeaders(message.headers());
    MessageHeaders.set(headers, BackstopHeaders.MESSAGE_ID, id.toString());
    MessageHeaders.setInstant(headers, BackstopHeaders.CREATED_AT, clock.instant());
    int lane = Lanes.laneOf(message.key(), id.uuid(), lanes);
    byte[] encoded = HeaderCodec.encode(Arrays.asList(headers.toArray()));
    boolean inserted;
    try {
      inserted =
          dialect.insert(
              connection,
              lane,
              id.uuid(),
              message.topic(),
              message.key(),
              message.value(),
              encoded);
    } catch (SQLException e) {
      throw new OutboxException(
          "Could not write outbox message "
              + id
              + " for topic "
              + message.topic()
              + " (SQLState "
              + e.getSQLState()
              + "): "
              + e.getMessage(),
          e);
    }
    if (!inserted) {
      throw new OutboxException(
          "Outbox lane "
              + lane
              + " has no row in "
              + dialect.sql().get("lane-table-name")
              + ": install the schema with at least "
              + lanes
              + " lanes (backstop.outbox.lanes) or start a relay once");
    }
    return id;
  }

  /** The lane {@code message} is written to under {@code id} (key-less messages: by the id). */
  public int laneOf(OutboxMessage message, MessageId id) {
    return Lanes.laneOf(message.key(), id.uuid(), lanes);
  }

  /** Throws {@link InvalidOutboxMessageException} when Kafka would never accept the message. */
  public void validate(OutboxMessage message) {
    if (message == null) {
      throw new InvalidOutboxMessageException("Outbox message is null");
    }
    String topic = message.topic();
    if (topic == null || topic.isEmpty()) {
      throw new InvalidOutboxMessageException(
          "Outbox message with key " + Utf8Text.quotedOrHex(message.key()) + " has no topic");
    }
    try {
      Topic.validate(topic);
    } catch (InvalidTopicException e) {
      throw new InvalidOutboxMessageException(
          "Invalid topic name '"
              + topic
              + "' for outbox message with key "
              + Utf8Text.quotedOrHex(message.key())
              + ": "
              + e.getMessage());
    }
    int size = size(message);
    if (size > maxMessageBytes) {
      throw new InvalidOutboxMessageException(
          "Outbox message for topic "
              + topic
              + " with key "
              + Utf8Text.quotedOrHex(message.key())
              + " is "
              + size
              + " bytes, more than backstop.outbox.max-message-bytes="
              + maxMessageBytes);
    }
  }

  static int size(OutboxMessage message) {
    int size = length(message.key()) + length(message.value());
    for (Header header : message.headers()) {
      size += header.key().getBytes(StandardCharsets.UTF_8).length + length(header.value());
    }
    return size;
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }
}
