package dev.backstop.core;

/**
 * How {@link Backoff} randomizes a delay, so that many failing consumers do not retry in lockstep.
 * {@code r} is a random number in {@code [0, 1)} and {@code f} the jitter factor in {@code [0, 1]}.
 *
 * <p>Thread-safety: enum, immutable.
 */
public enum Jitter {
  /** The delay as computed. */
  NONE,
  /**
   * Uniform in {@code [base·(1−f), base]}: {@code base − r·f·base}. With {@code f = 1} this is the
   * classic "full jitter", uniform in {@code [0, base]}.
   */
  FULL,
  /** Uniform in {@code [base·(1−f), base·(1+f)]}: {@code base ± f·base}, then capped. */
  PROPORTIONAL
}
