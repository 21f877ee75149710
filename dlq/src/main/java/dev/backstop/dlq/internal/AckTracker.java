package dev.backstop.dlq.internal;

import java.util.TreeSet;

/**
 * Tracks, for one partition of the dead-letter topic, which sent records are not yet acknowledged,
 * so the checkpoint never passes a record whose send was not confirmed. Thread-safe: sends are
 * registered by the replay thread and acknowledged on the producer's I/O thread.
 */
final class AckTracker {
  private final TreeSet<Long> pending = new TreeSet<>();
  private long next;

  AckTracker(long start) {
    this.next = start;
  }

  /** {@code offset} was read and needs no send (filtered out, refused, or a dry run). */
  synchronized void done(long offset) {
    next = Math.max(next, offset + 1);
  }

  /** {@code offset} was handed to the producer. */
  synchronized void sent(long offset) {
    pending.add(offset);
    next = Math.max(next, offset + 1);
  }

  /** The broker acknowledged {@code offset}. */
  synchronized void acknowledged(long offset) {
    pending.remove(offset);
  }

  /** Every offset of the partition was read up to {@code position} (exclusive). */
  synchronized void readTo(long position) {
    next = Math.max(next, position);
  }

  /** The offset to checkpoint: everything before it is acknowledged or needed no send. */
  synchronized long safeOffset() {
    return pending.isEmpty() ? next : pending.first();
  }

  /** Sends not yet acknowledged. */
  synchronized int inFlight() {
    return pending.size();
  }
}
