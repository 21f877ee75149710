package dev.backstop.retry;

/**
 * What the consumer does with a record whose handler threw.
 *
 * <p>Immutable and thread-safe.
 */
public enum Action {
  /** Forward the record to the next retry tier, or to the dead-letter topic after the last one. */
  RETRY,
  /** Forward the record to the dead-letter topic now, without retrying. */
  DEAD_LETTER,
  /** Commit the record's offset without forwarding it anywhere; it is logged and counted. */
  SKIP
}
