package dev.backstop.benchmarks.consumer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The handler body every contender runs: wait as an I/O-bound handler would (a database write, an
 * HTTP call), then count the record once, however often it is delivered. Thread-safe.
 */
final class Work {
  private final long waitNanos;
  private final Set<Long> handled = ConcurrentHashMap.newKeySet();
  private final CountDownLatch done;
  private final AtomicLong first = new AtomicLong();
  private final AtomicLong last = new AtomicLong();

  Work(int records, long waitMicros) {
    this.waitNanos = TimeUnit.MICROSECONDS.toNanos(waitMicros);
    this.done = new CountDownLatch(records);
  }

  void handle(int partition, long offset) {
    if (waitNanos > 0) {
      LockSupport.parkNanos(waitNanos);
    }
    if (handled.add(((long) partition << 40) | offset)) {
      long now = System.nanoTime();
      first.compareAndSet(0, now);
      last.set(now);
      done.countDown();
    }
  }

  /** Waits until every record was handled once; false at the deadline. */
  boolean await(long seconds) throws InterruptedException {
    return done.await(seconds, TimeUnit.SECONDS);
  }

  /** nanoTime of the first record handled. */
  long firstNanos() {
    return first.get();
  }

  /** Records per second from the first handled record to the last. */
  double steadyRate(int records) {
    long span = last.get() - first.get();
    return span <= 0 ? 0 : (records - 1) / (span / 1e9);
  }

  long remaining() {
    return done.getCount();
  }
}
