package dev.backstop.dlq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.Sleeper;
import dev.backstop.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-11-26T00:00:00Z"));
  private final Sleeper sleeper = clock::advance;

  @Test
  void admitsTheRateOnAverageAfterABurstOfATenthOfASecond() throws InterruptedException {
    TokenBucket bucket = new TokenBucket(100, clock, sleeper);
    Instant start = clock.instant();
    for (int i = 0; i < 1010; i++) {
      bucket.acquire();
    }
    // a burst of 10, then 1000 more at 100/s
    assertThat(Duration.between(start, clock.instant()))
        .isBetween(Duration.ofMillis(9_900), Duration.ofMillis(10_100));
  }

  @Test
  void slowRatesWaitWholeIntervals() throws InterruptedException {
    TokenBucket bucket = new TokenBucket(2, clock, sleeper);
    Instant start = clock.instant();
    bucket.acquire();
    bucket.acquire();
    bucket.acquire();
    assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofMillis(1000));
  }

  @Test
  void idleTimeRefillsOnlyUpToTheBurst() throws InterruptedException {
    TokenBucket bucket = new TokenBucket(100, clock, sleeper);
    clock.advance(Duration.ofHours(1));
    Instant start = clock.instant();
    for (int i = 0; i < 20; i++) {
      bucket.acquire();
    }
    assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofMillis(100));
  }
}
