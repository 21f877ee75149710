package dev.backstop.outbox.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/** Folds sorted sequence numbers into contiguous closed ranges, for range deletes. Stateless. */
final class SeqRanges {

  /** A closed range {@code [from, to]}. */
  public record Range(long from, long to) {}

  private SeqRanges() {}

  /** The contiguous runs of {@code seqs}, in order. */
  public static List<Range> of(SortedSet<Long> seqs) {
    List<Range> ranges = new ArrayList<>();
    long from = 0;
    long to = 0;
    boolean open = false;
    for (long seq : seqs) {
      if (open && seq == to + 1) {
        to = seq;
        continue;
      }
      if (open) {
        ranges.add(new Range(from, to));
      }
      from = seq;
      to = seq;
      open = true;
    }
    if (open) {
      ranges.add(new Range(from, to));
    }
    return ranges;
  }
}
