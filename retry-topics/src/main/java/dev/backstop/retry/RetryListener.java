package dev.backstop.retry;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Hooks into the life of failed records. {@link #onRetry} and {@link #onDeadLetter} are called on
 * the poll thread of the consumer loop that owns the record, after the broker acknowledged the
 * forward and before the source offset is committed; {@link #onSkip} on the worker that handled the
 * record. Keep them fast. A {@link RuntimeException} from a hook is logged and ignored; an {@link
 * Error} stops the consumer loop without committing, as a crash would.
 *
 * <p>Implementations must be thread-safe: every loop and worker may call them at the same time.
 */
public interface RetryListener {

  /** The record was forwarded to a retry tier topic. */
  default void onRetry(ConsumerRecord<byte[], byte[]> record, String tierTopic, Throwable error) {}

  /** The record was forwarded to the dead-letter topic. */
  default void onDeadLetter(
      ConsumerRecord<byte[], byte[]> record, String dlqTopic, Throwable error) {}

  /** The record's failure matched a skip rule; its offset is committed without a forward. */
  default void onSkip(ConsumerRecord<byte[], byte[]> record, Throwable error) {}

  /** The listener that does nothing. */
  RetryListener NONE = new RetryListener() {};
}
