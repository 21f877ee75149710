package dev.backstop.outbox.internal;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the relay: writers {@link #wakeUp()} after a commit, the relay waits in {@link #idle} until
 * woken or the poll interval ends. Wake-ups coalesce. {@link #backoff} ignores wake-ups (a failing
 * Kafka must not turn commits into a hot loop) and ends only early on {@link #close()}.
 * Thread-safe.
 */
final class RelayWakeUp {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private boolean woken;
  private boolean closed;

  /** Marks work available; cheap, never blocks for long. */
  public void wakeUp() {
    lock.lock();
    try {
      woken = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Ends every wait for good. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits up to {@code timeout} or until woken or closed; consumes the wake-up. */
  public void idle(Duration timeout) throws InterruptedException {
    await(timeout, true);
  }

  /** Waits {@code timeout} unless closed. */
  public void backoff(Duration timeout) throws InterruptedException {
    await(timeout, false);
  }

  private void await(Duration timeout, boolean wakeable) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (nanos > 0 && !closed && !(wakeable && woken)) {
        nanos = changed.awaitNanos(nanos);
      }
      if (wakeable) {
        woken = false;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether a wake-up is waiting to be consumed by the next {@link #idle}. */
  public boolean isWoken() {
    lock.lock();
    try {
      return woken;
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }
}
