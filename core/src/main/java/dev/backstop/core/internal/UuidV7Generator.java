package dev.backstop.core.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * UUIDv7 generator (RFC 9562) with a monotonic counter in {@code rand_a} (method 1, fixed-length
 * dedicated counter). Within one millisecond the 12-bit counter is seeded randomly in its lower
 * half and incremented per id; when it overflows, the timestamp is advanced by one millisecond, so
 * ids stay strictly ordered. When the clock goes backwards the state is reset (the RFC allows this;
 * order across a clock rollback is not guaranteed).
 *
 * <p>Thread-safety: thread-safe (synchronized).
 */
public final class UuidV7Generator {
  private static final int COUNTER_MAX = 0xFFF;
  private static final int COUNTER_SEED_BOUND = 0x800;
  private static final long TIMESTAMP_MASK = 0xFFFF_FFFF_FFFFL;

  private final SecureRandom random = new SecureRandom();
  private long lastClock = Long.MIN_VALUE;
  private long lastMillis = Long.MIN_VALUE;
  private int counter;

  /**
   * Returns the next id stamped from {@code clock}. The clock is read under the lock, so readings
   * from concurrent callers are seen in order and a stale reading is not mistaken for a rollback.
   */
  public synchronized UUID next(Clock clock) {
    long nowMillis = clock.millis();
    if (nowMillis > lastMillis || nowMillis < lastClock) {
      lastMillis = nowMillis;
      counter = random.nextInt(COUNTER_SEED_BOUND);
    } else if (++counter > COUNTER_MAX) {
      lastMillis++;
      counter = random.nextInt(COUNTER_SEED_BOUND);
    }
    lastClock = nowMillis;
    long msb = ((lastMillis & TIMESTAMP_MASK) << 16) | 0x7000L | counter;
    long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }
}
