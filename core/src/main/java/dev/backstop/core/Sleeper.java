package dev.backstop.core;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a duration. Injected wherever a component pauses, so tests replace waiting with a fake
 * that records or advances a clock.
 *
 * <p>Thread-safety: {@link #system()} is thread-safe; implementations must be too.
 */
@FunctionalInterface
public interface Sleeper {
  /** Blocks for {@code duration}; returns at once for zero or negative durations. */
  void sleep(Duration duration) throws InterruptedException;

  /** The real sleeper: blocks the calling thread. */
  static Sleeper system() {
    return duration -> {
      if (!duration.isNegative() && !duration.isZero()) {
        TimeUnit.NANOSECONDS.sleep(duration.toNanos());
      }
    };
  }
}
