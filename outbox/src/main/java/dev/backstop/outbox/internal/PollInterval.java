package dev.backstop.outbox.internal;

import java.time.Duration;

/**
 * Adaptive polling: the wait after an empty read doubles from the minimum up to the maximum; a read
 * that found rows resets it to the minimum; a full batch means no wait at all. Not thread-safe (the
 * relay thread owns it).
 */
final class PollInterval {

  private final Duration min;
  private final Duration max;
  private Duration current;

  public PollInterval(Duration min, Duration max) {
    this.min = min;
    this.max = max;
    this.current = min;
  }

  /** How long to wait before the next read, given what the last read returned. */
  public Duration next(int rowsRead, int batchSize) {
    if (rowsRead >= batchSize) {
      current = min;
      return Duration.ZERO;
    }
    if (rowsRead > 0) {
      current = min;
      return min;
    }
    Duration wait = current;
    Duration doubled = current.multipliedBy(2);
    current = doubled.compareTo(max) > 0 ? max : doubled;
    return wait;
  }
}
