package dev.backstop.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Delay before a retry: exponential growth from an initial delay up to a cap, optionally jittered.
 * The delay is never negative and never above the cap. The random source is injectable, so tests
 * are deterministic.
 *
 * <p>Thread-safety: immutable and thread-safe, provided the injected random source is.
 */
public final class Backoff {
  private static final DoubleSupplier DEFAULT_RANDOM =
      () -> ThreadLocalRandom.current().nextDouble();

  private final Duration initial;
  private final double multiplier;
  private final Duration max;
  private final Jitter jitter;
  private final double factor;
  private final DoubleSupplier random;

  private Backoff(
      Duration initial,
      double multiplier,
      Duration max,
      Jitter jitter,
      double factor,
      DoubleSupplier random) {
    this.initial = initial;
    this.multiplier = multiplier;
    this.max = max;
    this.jitter = Objects.requireNonNull(jitter, "jitter");
    this.factor = factor;
    this.random = Objects.requireNonNull(random, "random");
    if (!(factor >= 0 && factor <= 1)) {
      throw new IllegalArgumentException(
          "Invalid jitter factor " + factor + ": must be between 0 and 1");
    }
  }

  /**
   * Delay {@code initial · multiplier^(attempt−1)}, capped at {@code max}; no jitter.
   *
   * @throws IllegalArgumentException if {@code initial} is negative, {@code multiplier < 1} or
   *     {@code max < initial}
   */
  public static Backoff exponential(Duration initial, double multiplier, Duration max) {
    requireNonNegative("initial delay", initial);
    requireNonNegative("max delay", max);
    if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException(
          "Invalid multiplier " + multiplier + ": must be at least 1");
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "Invalid max delay " + max + ": must be at least the initial delay " + initial);
    }
    return new Backoff(initial, multiplier, max, Jitter.NONE, 0, DEFAULT_RANDOM);
  }

  /** The same delay for every attempt; no jitter. */
  public static Backoff fixed(Duration delay) {
    return exponential(delay, 1, delay);
  }

  /** A copy with the given jitter; {@code factor} must be in {@code [0, 1]}. */
  public Backoff withJitter(Jitter jitter, double factor) {
    return new Backoff(initial, multiplier, max, jitter, factor, random);
  }

  /** A copy that draws random numbers in {@code [0, 1)} from {@code random}. */
  public Backoff withRandom(DoubleSupplier random) {
    return new Backoff(initial, multiplier, max, jitter, factor, random);
  }

  /**
   * The delay before retry number {@code attempt} (1 is the first retry).
   *
   * @throws IllegalArgumentException if {@code attempt < 1}
   */
  public Duration delay(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("Invalid attempt " + attempt + ": must be at least 1");
    }
    double base =
        Math.min(initial.toNanos() * Math.pow(multiplier, attempt - 1.0), (double) max.toNanos());
    double delayed =
        switch (jitter) {
          case NONE -> base;
          case FULL -> base - draw() * factor * base;
          case PROPORTIONAL -> base + (2 * draw() - 1) * factor * base;
        };
    return Duration.ofNanos((long) Math.max(0, Math.min(delayed, max.toNanos())));
  }

  /**
   * Proportional jitter around {@code base}: uniform in {@code base ± factor·base}, never negative.
   */
  public static Duration jittered(Duration base, double factor, DoubleSupplier random) {
    double nanos = base.toNanos() + (2 * clamp(random.getAsDouble()) - 1) * factor * base.toNanos();
    return Duration.ofNanos((long) Math.max(0, nanos));
  }

  /** The delay of the first retry. */
  public Duration initial() {
    return initial;
  }

  /** The cap. */
  public Duration max() {
    return max;
  }

  @Override
  public String toString() {
    return "Backoff[initial="
        + initial
        + ", multiplier="
        + multiplier
        + ", max="
        + max
        + ", jitter="
        + jitter
        + ", factor="
        + factor
        + "]";
  }

  private double draw() {
    return clamp(random.getAsDouble());
  }

  private static double clamp(double r) {
    return Math.max(0, Math.min(1, r));
  }

  private static void requireNonNegative(String what, Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("Invalid " + what + " " + d + ": must not be negative");
    }
    d.toNanos(); // throws ArithmeticException beyond ~292 years
  }
}
