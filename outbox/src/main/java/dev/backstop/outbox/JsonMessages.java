package dev.backstop.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;

/**
 * Builds outbox messages with JSON values through Jackson, so a value that cannot be serialized
 * fails the caller's transaction at write time. Thread-safe (as the given {@link ObjectMapper}).
 *
 * <pre>{@code
 * JsonMessages json = JsonMessages.using(objectMapper);
 * outbox.send(handle, json.message("orders", order.id(), new OrderPlaced(order.id(), total)));
 * }</pre>
 */
public final class JsonMessages {

  private final ObjectMapper mapper;

  private JsonMessages(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** JSON messages written by {@code mapper}. */
  public static JsonMessages using(ObjectMapper mapper) {
    return new JsonMessages(Objects.requireNonNull(mapper, "mapper"));
  }

  /** A message whose value is {@code value} as JSON, with a {@code content-type} header. */
  public OutboxMessage message(String topic, String key, Object value) {
    try {
      return OutboxMessage.of(topic, key, mapper.writeValueAsBytes(value))
          .withHeader("content-type", "application/json");
    } catch (JsonProcessingException e) {
      throw new InvalidOutboxMessageException(
          "Could not serialize the value of an outbox message for topic "
              + topic
              + " with key '"
              + key
              + "' as JSON: "
              + e.getOriginalMessage());
    }
  }
}
