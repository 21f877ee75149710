package dev.backstop.core;

/**
 * Tells the consumer wrapper that a handler call returned normally without doing the record's work
 * because the record was a duplicate. A deduplicating handler (the idempotent consumer) {@link
 * #raise() raises} it on the consumer's thread; the wrapper {@link #take() takes} it after the call
 * and counts the record as a duplicate instead of a processed record: no end-to-end latency sample,
 * no success for the circuit breaker. It passes through any handler that wraps another on the same
 * thread, lambdas included.
 *
 * <p>Thread-safety: the signal is confined to the calling thread.
 */
public final class DuplicateSignal {

  private static final ThreadLocal<Boolean> RAISED = ThreadLocal.withInitial(() -> false);

  private DuplicateSignal() {}

  /** Marks the handler call running on this thread as a skipped duplicate. */
  public static void raise() {
    RAISED.set(true);
  }

  /** Whether the signal was raised on this thread since the last take; clears it. */
  public static boolean take() {
    boolean raised = RAISED.get();
    if (raised) {
      RAISED.set(false);
    }
    return raised;
  }
}
