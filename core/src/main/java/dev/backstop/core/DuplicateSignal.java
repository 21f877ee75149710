package dev.backstop.core;

/**
 * Tells the consumer wrapper that a handler call returned normally without doing the record's work
 * because the record was a duplicate. A deduplicating handler (the idempotent consumer) {@link
 * #raise() raises} it on the thread that runs the handler call (a worker of the consumer wrapper),
 * and marks {@link #worked() work} it did; the wrapper {@link #take() takes} it after the call and
 * counts the record as a duplicate instead of a processed record: no end-to-end latency sample, no
 * success for the circuit breaker. A call that did any work is not a duplicate, whatever else it
 * skipped (a handler that fans one record out to several deduplicated writes). The signal passes
 * through any handler that wraps another on the same thread, lambdas included.
 *
 * <p>Why a thread-confined signal and not a result of {@link RecordHandler#handle}: the signal only
 * tells the wrapper how to count a call that succeeded (metrics, the end-to-end latency sample, a
 * success for the circuit breaker); it never changes what is committed, retried or dead-lettered. A
 * result type would make every handler, every lambda and every decorator (yours, Spring's) return
 * and pass on a value for that one distinction, and a decorator that forgot to pass it on would
 * lose it silently all the same. The handler call is synchronous on the wrapper's worker thread, so
 * a value confined to that thread reaches the wrapper through any number of decorators that know
 * nothing about it. The wrapper clears the signal before each attempt and takes it after, so a
 * value left by another caller on a pooled thread is never read, and the state is an enum constant,
 * so nothing leaks. The limit: a handler that finishes its work on another thread must raise the
 * signal on the calling thread before it returns; a signal lost that way only counts the call as
 * processed, as a handler that never raises it is counted.
 *
 * <p>Thread-safety: the signal is confined to the calling thread.
 */
public final class DuplicateSignal {

  private enum State {
    NONE,
    DUPLICATE,
    WORKED
  }

  private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(() -> State.NONE);

  private DuplicateSignal() {}

  /** Marks the handler call running on this thread as a skipped duplicate, unless it did work. */
  public static void raise() {
    if (STATE.get() == State.NONE) {
      STATE.set(State.DUPLICATE);
    }
  }

  /** Marks that the handler call running on this thread did a record's work. */
  public static void worked() {
    STATE.set(State.WORKED);
  }

  /**
   * Whether the call since the last take only skipped duplicates (raised, and did no work); clears
   * the signal.
   */
  public static boolean take() {
    State state = STATE.get();
    if (state != State.NONE) {
      STATE.set(State.NONE);
    }
    return state == State.DUPLICATE;
  }
}
