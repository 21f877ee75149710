package dev.backstop.outbox;

import dev.backstop.core.Health;
import java.util.List;

/**
 * A running relay: one thread that publishes committed outbox rows of the lanes it leases and
 * deletes them after the broker's ack. Started by {@link Outbox#startRelay()}; several relays (in
 * one or many processes) share the lanes. Thread-safe.
 */
public interface OutboxRelay extends AutoCloseable {

  /** This relay's name in the lease table. */
  String relayId();

  /** The lanes this relay owns now (a snapshot). */
  List<Integer> ownedLanes();

  /**
   * UP when rows flow; DEGRADED when the oldest pending row is older than {@code
   * backstop.outbox.degraded-after}, when Kafka or the database fail, or when acks are overdue;
   * DOWN once closed or if the relay thread died. Details carry pending, oldestPendingAgeMs,
   * parked, lanesOwned and lastError.
   */
  Health health();

  /**
   * Stops gracefully: finishes the in-flight batch (or leaves it for the next owner), gives every
   * lane back so other relays take them at once, and closes the producer. Idempotent.
   */
  @Override
  void close();
}
