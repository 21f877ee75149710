package dev.backstop.dlq.internal;

import dev.backstop.core.Sleeper;
import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket that admits at most {@code ratePerSecond} records per second on average, with a
 * burst of a tenth of a second's worth (at least one). Time comes from the injected clock and
 * waiting goes through the injected sleeper, so tests drive it without waiting. Not thread-safe:
 * one replay thread acquires.
 */
public final class TokenBucket {
  private final double ratePerMilli;
  private final double capacity;
  private final Clock clock;
  private final Sleeper sleeper;
  private double tokens;
  private long lastMillis;

  /** A full bucket. */
  public TokenBucket(double ratePerSecond, Clock clock, Sleeper sleeper) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
    }
    this.ratePerMilli = ratePerSecond / 1000.0;
    this.capacity = Math.max(1.0, ratePerSecond / 10.0);
    this.clock = clock;
    this.sleeper = sleeper;
    this.tokens = capacity;
    this.lastMillis = clock.millis();
  }

  /** Takes one token, sleeping until one is available. */
  public void acquire() throws InterruptedException {
    while (true) {
      refill();
      if (tokens >= 1.0) {
        tokens -= 1.0;
        return;
      }
      long waitMillis = (long) Math.ceil((1.0 - tokens) / ratePerMilli);
      sleeper.sleep(Duration.ofMillis(Math.max(1, waitMillis)));
    }
  }

  private void refill() {
    long now = clock.millis();
    if (now > lastMillis) {
      tokens = Math.min(capacity, tokens + (now - lastMillis) * ratePerMilli);
      lastMillis = now;
    }
  }
}
