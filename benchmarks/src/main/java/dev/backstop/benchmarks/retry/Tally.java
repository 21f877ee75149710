package dev.backstop.benchmarks.retry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The workload's handler logic, shared by both runs: every tenth record fails on its first call (a
 * transient failure) and succeeds on its retry; every call may first wait (an I/O-bound handler).
 * Records the time of each failure and success. Thread-safe.
 */
final class Tally {
  private final int failEvery;
  private final Map<String, Long> failedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> succeededAt = new ConcurrentHashMap<>();
  private final CountDownLatch done;

  private final long waitNanos;

  private final int keys;

  /**
   * @param keys how many distinct keys the records have (record n has key n % keys): each key's
   *     records fail in turn, one in {@code failEvery}, so failures do not cluster on some keys
   */
  Tally(int records, int failEvery, long waitMillis, int keys) {
    this.failEvery = failEvery;
    this.keys = keys;
    this.done = new CountDownLatch(records);
    this.waitNanos = TimeUnit.MILLISECONDS.toNanos(waitMillis);
  }

  private final Map<String, Integer> lastByKey = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger outOfOrder =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * The handler body: waits as an I/O-bound handler would, throws for a transient failure. The
   * value is the record's number; a success with a lower number than an earlier success of the same
   * key counts as out of order.
   */
  void handle(byte[] key, byte[] value) {
    if (waitNanos > 0) {
      LockSupport.parkNanos(waitNanos);
    }
    String id = new String(value, StandardCharsets.UTF_8);
    long now = System.nanoTime();
    int n = Integer.parseInt(id);
    if ((n / keys + n % keys) % failEvery == 0 && failedAt.putIfAbsent(id, now) == null) {
      throw new IllegalStateException("transient failure of record " + id);
    }
    if (succeededAt.putIfAbsent(id, now) == null) {
      lastByKey.merge(
          new String(key, StandardCharsets.UTF_8),
          n,
          (last, next) -> {
            if (next < last) {
              outOfOrder.incrementAndGet();
            }
            return Math.max(last, next);
          });
      done.countDown();
    }
  }

  /** Successes that came after a success of a later record of the same key. */
  int outOfOrder() {
    return outOfOrder.get();
  }

  boolean await(long seconds) throws InterruptedException {
    return done.await(seconds, TimeUnit.SECONDS);
  }

  long remaining() {
    return done.getCount();
  }

  /** Lateness of each retried record: success − (failure + delay), in milliseconds, sorted. */
  List<Long> lateness(long delayMillis) {
    List<Long> values = new ArrayList<>();
    failedAt.forEach(
        (id, failed) -> {
          Long succeeded = succeededAt.get(id);
          if (succeeded != null) {
            values.add(TimeUnit.NANOSECONDS.toMillis(succeeded - failed) - delayMillis);
          }
        });
    Collections.sort(values);
    return values;
  }

  static long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
