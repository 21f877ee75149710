package dev.backstop.retry.internal;

import dev.backstop.retry.ReliableConsumerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker of a consumer (Resilience4j, count-based window). It judges the health of the
 * dependency behind the handler from first deliveries only: calls of the main consumer whose
 * failure a rule retries. A record in a tier has failed before, often for its own reasons, so tier
 * calls neither open nor close the circuit: a tier full of records that fail for their own reasons
 * never pauses fresh traffic. While the circuit is open every consumer, main and tier, pauses, and
 * a failing record is held in place instead of moving toward the dead-letter topic. The probe of
 * the half-open state is a first delivery; a tier record probes only while the main consumer has
 * nothing to offer. Thread-safe.
 */
final class CircuitGate {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitGate.class);

  /**
   * A permission to call the handler once. {@code counted}: the call's outcome goes into the
   * window; {@code probe}: granted in the half-open state. Settled once: by a success, a failure or
   * a release; later settlements do nothing, so a permit is never given back twice. Thread-safe.
   */
  static final class Permit {
    private final boolean counted;
    private final boolean probe;
    private final AtomicBoolean settled = new AtomicBoolean();

    Permit(boolean counted, boolean probe) {
      this.counted = counted;
      this.probe = probe;
    }

    boolean probe() {
      return probe;
    }

    /** Whether this settlement is the first and the outcome goes into the window. */
    private boolean settle() {
      return settled.compareAndSet(false, true) && counted;
    }
  }

  private final CircuitBreaker breaker;
  private final Clock clock;
  private final Duration openWait;
  private volatile Instant openedAt = Instant.MIN;
  private volatile boolean freshIdle = true;
  private final String group;
  private final AtomicReference<CircuitBreaker.State> seen =
      new AtomicReference<>(CircuitBreaker.State.CLOSED);

  private CircuitGate(CircuitBreaker breaker, Clock clock, Duration openWait, String group) {
    this.breaker = breaker;
    this.clock = clock;
    this.openWait = openWait;
    this.group = group;
  }

  static CircuitGate create(ReliableConsumerConfig config, Clock clock) {
    if (!config.circuitEnabled()) {
      return new CircuitGate(null, clock, Duration.ZERO, config.groupId());
    }
    CircuitBreakerConfig breakerConfig =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(config.circuitWindow())
            .minimumNumberOfCalls(config.circuitMinimumCalls())
            .failureRateThreshold((float) config.circuitFailureRate())
            .waitDurationInOpenState(config.circuitOpenWait())
            .permittedNumberOfCallsInHalfOpenState(1)
            .clock(clock)
            .build();
    CircuitBreaker breaker = CircuitBreaker.of("backstop-" + config.groupId(), breakerConfig);
    CircuitGate gate = new CircuitGate(breaker, clock, config.circuitOpenWait(), config.groupId());
    return gate;
  }

  /**
   * A permission for a first delivery ({@code fresh}) or a tier record, or null while the circuit
   * is open (or its one probe is taken).
   */
  Permit tryAcquire(boolean fresh) {
    if (breaker == null) {
      return new Permit(false, false);
    }
    boolean closed = breaker.getState() == CircuitBreaker.State.CLOSED;
    if (!fresh && (closed || !freshIdle)) {
      return closed ? new Permit(false, false) : null;
    }
    boolean permitted = breaker.tryAcquirePermission();
    observe();
    if (!permitted) {
      return null;
    }
    boolean probe = !(fresh && closed && breaker.getState() == CircuitBreaker.State.CLOSED);
    return new Permit(true, probe);
  }

  /** The main consumer tells whether it has records to offer as a probe. */
  void freshIdle(boolean idle) {
    freshIdle = idle;
  }

  void success(Permit permit, long nanos) {
    if (permit.settle()) {
      breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
      observe();
    }
  }

  /**
   * The call ended without saying anything about the dependency (a dead-letter or skip rule, a
   * skipped duplicate, an error that stops the consumer, or no call at all).
   */
  void release(Permit permit) {
    if (permit.settle()) {
      breaker.releasePermission();
    }
  }

  /**
   * Records a retryable failure. Returns whether the record may move on to the next tier: not when
   * it was a probe, and not while the circuit is not closed (this failure may have opened it); such
   * a record is held and tried again after the circuit lets calls through.
   */
  boolean failure(Permit permit, long nanos, Throwable error) {
    if (breaker == null) {
      return true;
    }
    if (permit.settle()) {
      breaker.onError(nanos, TimeUnit.NANOSECONDS, error);
      observe();
    }
    return !permit.probe() && breaker.getState() == CircuitBreaker.State.CLOSED;
  }

  /**
   * Whether a consumer should pause all its partitions. The main consumer ({@code fresh}): while
   * the circuit is open and its wait has not passed, or half-open while it already holds records
   * (one of which probes); past the wait it fetches again so that a record can be the probe. A tier
   * consumer: whenever the circuit is not closed, unless the main consumer has nothing to probe
   * with.
   */
  boolean holding(boolean fresh, boolean hasBuffered) {
    if (breaker == null) {
      return false;
    }
    CircuitBreaker.State state = breaker.getState();
    if (state == CircuitBreaker.State.CLOSED) {
      return false;
    }
    if (!fresh && !freshIdle) {
      return true;
    }
    return switch (state) {
      case OPEN, FORCED_OPEN -> clock.instant().isBefore(openedAt.plus(openWait));
      case HALF_OPEN -> hasBuffered;
      default -> false;
    };
  }

  /** When the open circuit lets a probe through, or null when it is not open. */
  Instant probeAt() {
    if (breaker == null || breaker.getState() != CircuitBreaker.State.OPEN) {
      return null;
    }
    return openedAt.plus(openWait);
  }

  /**
   * Notes a change of state since the last look: when the circuit opened, and a log line. Every
   * transition follows one of the breaker calls above, which look right after (cheaper than the
   * breaker's event publisher, which builds an event for every call once anyone listens).
   */
  private void observe() {
    CircuitBreaker.State now = breaker.getState();
    CircuitBreaker.State before = seen.getAndSet(now);
    if (before == now) {
      return;
    }
    if (now == CircuitBreaker.State.OPEN) {
      openedAt = clock.instant();
      LOG.warn("Circuit of group {} went from {} to {}: consumption paused", group, before, now);
    } else {
      LOG.info("Circuit of group {} went from {} to {}", group, before, now);
    }
  }

  /** For the circuit gauge: 0 closed or disabled, 1 half-open, 2 open. */
  int level() {
    if (breaker == null) {
      return 0;
    }
    return switch (breaker.getState()) {
      case OPEN, FORCED_OPEN -> 2;
      case HALF_OPEN -> 1;
      default -> 0;
    };
  }

  /** CLOSED, OPEN, HALF_OPEN, or DISABLED. */
  String state() {
    return breaker == null ? "DISABLED" : breaker.getState().name();
  }
}
