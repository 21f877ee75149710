package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration CAP = Duration.ofSeconds(10);
  private final Backoff exponential = Backoff.exponential(Duration.ofSeconds(1), 2, CAP);

  @Test
  void growsExponentiallyUpToTheCap() {
    assertThat(exponential.delay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(exponential.delay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(exponential.delay(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(exponential.delay(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(exponential.delay(5)).isEqualTo(CAP);
    assertThat(exponential.delay(Integer.MAX_VALUE)).isEqualTo(CAP);
  }

  @Test
  void fractionalMultiplier() {
    Backoff b = Backoff.exponential(Duration.ofMillis(100), 1.5, CAP);

    assertThat(b.delay(3)).isEqualTo(Duration.ofMillis(225));
  }

  @Test
  void fixedIsConstant() {
    Backoff b = Backoff.fixed(Duration.ofMillis(250));

    assertThat(b.delay(1)).isEqualTo(b.delay(50)).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void fullJitterSubtractsUpToFactorTimesBase() {
    Backoff full = exponential.withJitter(Jitter.FULL, 1.0);

    assertThat(full.withRandom(() -> 0.0).delay(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(full.withRandom(() -> 0.25).delay(3)).isEqualTo(Duration.ofSeconds(3));
    assertThat(full.withRandom(() -> 0.999999).delay(3)).isLessThan(Duration.ofMillis(1));
    assertThat(exponential.withJitter(Jitter.FULL, 0.5).withRandom(() -> 1.0).delay(3))
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void proportionalJitterSpreadsAroundBaseAndIsCapped() {
    Backoff proportional = exponential.withJitter(Jitter.PROPORTIONAL, 0.5);

    assertThat(proportional.withRandom(() -> 0.0).delay(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(proportional.withRandom(() -> 0.5).delay(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(proportional.withRandom(() -> 0.75).delay(3)).isEqualTo(Duration.ofSeconds(5));
    assertThat(proportional.withRandom(() -> 0.99).delay(5)).isEqualTo(CAP);
  }

  @Test
  void neverNegativeNeverAboveCapForAnyRandomValue() {
    Random seeded = new Random(42);
    DoubleSupplier random = seeded::nextDouble;
    for (Jitter jitter : Jitter.values()) {
      Backoff b = exponential.withJitter(jitter, 1.0).withRandom(random);
      for (int attempt = 1; attempt < 40; attempt++) {
        assertThat(b.delay(attempt)).isBetween(Duration.ZERO, CAP);
      }
    }
  }

  @Test
  void outOfRangeRandomSourceIsClamped() {
    Backoff b = exponential.withJitter(Jitter.PROPORTIONAL, 1.0);

    assertThat(b.withRandom(() -> -5).delay(2)).isEqualTo(Duration.ZERO);
    assertThat(b.withRandom(() -> 7).delay(4)).isEqualTo(CAP);
  }

  @Test
  void sameRandomSourceGivesSameDelays() {
    Backoff a = exponential.withJitter(Jitter.FULL, 1.0).withRandom(new Random(7)::nextDouble);
    Backoff b = exponential.withJitter(Jitter.FULL, 1.0).withRandom(new Random(7)::nextDouble);

    for (int attempt = 1; attempt < 10; attempt++) {
      assertThat(a.delay(attempt)).isEqualTo(b.delay(attempt));
    }
  }

  @Test
  void staticProportionalJitterIsNeverNegative() {
    Duration base = Duration.ofSeconds(10);

    assertThat(Backoff.jittered(base, 0.2, () -> 0.0)).isEqualTo(Duration.ofSeconds(8));
    assertThat(Backoff.jittered(base, 0.2, () -> 0.5)).isEqualTo(base);
    assertThat(Backoff.jittered(base, 0.2, () -> 1.0)).isEqualTo(Duration.ofSeconds(12));
    assertThat(Backoff.jittered(base, 3.0, () -> 0.0)).isEqualTo(Duration.ZERO);
  }

  @Test
  void rejectsBadParameters() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> Backoff.exponential(s.negated(), 2, CAP))
        .hasMessage("Invalid initial delay PT-1S: must not be negative");
    assertThatThrownBy(() -> Backoff.exponential(s, 0.5, CAP))
        .hasMessage("Invalid multiplier 0.5: must be at least 1");
    assertThatThrownBy(() -> Backoff.exponential(s, Double.NaN, CAP))
        .hasMessage("Invalid multiplier NaN: must be at least 1");
    assertThatThrownBy(() -> Backoff.exponential(CAP, 2, s))
        .hasMessage("Invalid max delay PT1S: must be at least the initial delay PT10S");
    assertThatThrownBy(() -> exponential.withJitter(Jitter.FULL, -0.1))
        .hasMessage("Invalid jitter factor -0.1: must be between 0 and 1");
    assertThatThrownBy(() -> exponential.delay(0))
        .hasMessage("Invalid attempt 0: must be at least 1");
  }
}
