package dev.backstop.outbox.internal;

import java.util.List;

/**
 * Points in the relay round where tests inject a pause or a crash. Production uses {@link #NONE}.
 * Called on the relay thread.
 */
public interface RelayHooks {

  RelayHooks NONE = new RelayHooks() {};

  /** After a batch was read, before anything is sent. */
  default void afterRead(List<Row> batch) {}

  /** After the batch was handed to the producer, before its acks are awaited. */
  default void afterSend(List<Row> batch) {}

  /** After the broker acknowledged the batch, before the rows are deleted. */
  default void afterAcks(List<Row> batch) {}
}
