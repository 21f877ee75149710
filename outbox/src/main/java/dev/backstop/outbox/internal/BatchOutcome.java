package dev.backstop.outbox.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened to each row of a batch: published in a committed transaction (delete), rejected for
 * good (park), following a parked row of its key (park unless the key was requeued meanwhile), or
 * kept for a later round. Built on the relay thread.
 */
public final class BatchOutcome {

  /** A row to park and why. */
  public record Parked(Row row, String reason, boolean follower) {}

  final List<Row> acked = new ArrayList<>();
  final List<Parked> parked = new ArrayList<>();
  int kept;
  Throwable retriable;
  Instant ackedAt;

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
}
