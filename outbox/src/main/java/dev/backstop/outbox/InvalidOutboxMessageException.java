package dev.backstop.outbox;

/**
 * A message Kafka would never accept (no topic, an illegal topic name, larger than {@code
 * backstop.outbox.max-message-bytes}). Thrown by {@code send} before anything is written, so the
 * caller's transaction fails at write time instead of the relay failing later.
 */
public final class InvalidOutboxMessageException extends OutboxException {

  private static final long serialVersionUID = 1L;

  public InvalidOutboxMessageException(String message) {
    super(message);
  }
}
