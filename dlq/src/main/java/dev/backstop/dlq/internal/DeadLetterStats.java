package dev.backstop.dlq.internal;

import dev.backstop.dlq.DeadLetter;
import dev.backstop.dlq.DeadLetterGroup;
import dev.backstop.dlq.GroupBy;
import dev.backstop.dlq.RecordAddress;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Counts dead letters per group key. Not thread-safe: one scan feeds it. */
public final class DeadLetterStats {
  private final GroupBy by;
  private final Map<String, Row> rows = new HashMap<>();

  /** Groups by {@code by}. */
  public DeadLetterStats(GroupBy by) {
    this.by = by;
  }

  /** Counts {@code letter}. */
  public void add(DeadLetter letter) {
    rows.computeIfAbsent(by.keyOf(letter), k -> new Row()).add(letter);
  }

  /** The groups, largest first, then by key. */
  public List<DeadLetterGroup> groups() {
    return rows.entrySet().stream()
        .map(e -> e.getValue().toGroup(by, e.getKey()))
        .sorted(
            Comparator.comparingLong(DeadLetterGroup::count)
                .reversed()
                .thenComparing(DeadLetterGroup::key))
        .toList();
  }

  private static final class Row {
    private long count;
    private Instant first;
    private Instant last;
    private RecordAddress sample;
    private String sampleError;

    void add(DeadLetter letter) {
      count++;
      Instant at = letter.timestamp();
      if (first == null || at.isBefore(first)) {
        first = at;
      }
      if (last == null || !at.isBefore(last)) {
        last = at;
        sample = letter.address();
        String message = letter.failure().errorMessage();
        sampleError = letter.failure().errorClass() + (message == null ? "" : ": " + message);
      }
    }

    DeadLetterGroup toGroup(GroupBy by, String key) {
      return new DeadLetterGroup(by, key, count, first, last, sample, sampleError);
    }
  }
}
