package dev.backstop.dlq.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Tracks, for one partition of the dead-letter topic, which sent records are not yet acknowledged,
 * so the checkpoint never passes a record whose send was not confirmed. Thread-safe: sends are
 * registered by the replay thread and acknowledged on the producer's I/O thread.
 */
final class AckTracker {
  private final TreeSet<Long> pending = new TreeSet<>();
  private final TreeSet<Long> ackedAbove = new TreeSet<>();
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
    if (!pending.isEmpty() && offset > pending.first()) {
      ackedAbove.add(offset); // behind a send still pending (or failed): remember it
    }
  }

  /**
   * Acknowledged offsets above {@link #safeOffset()}, as inclusive ranges {@code [from, to]}: what
   * a resumed replay must skip although the checkpoint lies before it.
   */
  synchronized List<long[]> acknowledgedAbove() {
    ackedAbove.headSet(safeOffset()).clear();
    List<long[]> ranges = new ArrayList<>();
    for (long offset : ackedAbove) {
      long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
      if (last != null && last[1] + 1 == offset) {
        last[1] = offset;
      } else {
        ranges.add(new long[] {offset, offset});
      }
    }
    return ranges;
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
