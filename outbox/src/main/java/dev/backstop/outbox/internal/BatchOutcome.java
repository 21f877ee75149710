package dev.backstop.outbox.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened to each row of a batch: published in a committed transaction (delete), rejected for
 * good (park), following a parked row of its key (park unless the key was requeued meanwhile), or
 * kept for a later round. Built on the relay thread and used there only.
 */
final class BatchOutcome {

  /** A row to park and why. */
  public record Parked(Row row, String reason, boolean follower) {}

  final List<Row> acked = new ArrayList<>();
  final List<Parked> parked = new ArrayList<>();
  int kept;
  Throwable retriable;
  private Instant ackedAt;

  public List<Row> acked() {
    return acked;
  }

  public List<Parked> parked() {
    return parked;
  }

  /** Rows neither published nor parked (their transaction aborted): sent again from the head. */
  public int kept() {
    return kept;
  }

  /** The first retriable failure (Kafka unavailable), or null. */
  public Throwable retriable() {
    return retriable;
  }

  /** Whether every row was published: nothing parked, kept back or failed. */
  boolean clean() {
    return parked.isEmpty() && retriable == null && kept == 0;
  }

  /** When the acks were awaited, or null before {@link #markAcked(Instant)}. */
  Instant ackedAt() {
    return ackedAt;
  }

  /** Records when the acks were awaited; a second call throws. */
  void markAcked(Instant at) {
    if (ackedAt != null) {
      throw new IllegalStateException("the acks of this batch were awaited at " + ackedAt);
    }
    ackedAt = at;
  }
}
