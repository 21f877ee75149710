package dev.backstop.retry.internal;

import dev.backstop.retry.RetryConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker shared by the main and tier consumers (Resilience4j, count-based window).
 * Only failures that a rule retries count: they are the ones that say a dependency is down. While
 * the circuit is open or half-open, failing records are held in place instead of moving toward the
 * dead-letter topic. Thread-safe.
 */
final class CircuitGate {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitGate.class);

  /** A permission to call the handler once; {@code probe} when granted in the half-open state. */
  record Permit(boolean probe) {}

  private static final Permit FREE = new Permit(false);

  private final CircuitBreaker breaker;
  private final Clock clock;
  private final Duration openWait;
  private volatile Instant openedAt = Instant.MIN;

  private CircuitGate(CircuitBreaker breaker, Clock clock, Duration openWait) {
    this.breaker = breaker;
    this.clock = clock;
    this.openWait = openWait;
  }

  static CircuitGate create(RetryConfig config, Clock clock) {
    if (!config.circuitEnabled()) {
      return new CircuitGate(null, clock, Duration.ZERO);
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
    CircuitGate gate = new CircuitGate(breaker, clock, config.circuitOpenWait());
    breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                gate.openedAt = clock.instant();
              }
              if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                LOG.warn(
                    "Circuit of group {} went {}: consumption paused",
                    config.groupId(),
                    event.getStateTransition());
              } else {
                LOG.info(
                    "Circuit of group {} went {}", config.groupId(), event.getStateTransition());
              }
            });
    return gate;
  }

  /** A permission, or null while the circuit is open (or its one probe is taken). */
  Permit tryAcquire() {
    if (breaker == null) {
      return FREE;
    }
    boolean halfOpen = breaker.getState() != CircuitBreaker.State.CLOSED;
    if (!breaker.tryAcquirePermission()) {
      return null;
    }
    return halfOpen || breaker.getState() != CircuitBreaker.State.CLOSED ? new Permit(true) : FREE;
  }

  void success(long nanos) {
    if (breaker != null) {
      breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** The call failed in a way that says nothing about the dependency (dead-letter or skip rule). */
  void release() {
    if (breaker != null) {
      breaker.releasePermission();
    }
  }

  /**
   * Records a retryable failure. Returns whether the record may move on to the next tier: not when
   * it was a probe, and not when this failure opened the circuit; such a record is held and tried
   * again after the circuit lets calls through.
   */
  boolean failure(Permit permit, long nanos, Throwable error) {
    if (breaker == null) {
      return true;
    }
    breaker.onError(nanos, TimeUnit.NANOSECONDS, error);
    return !permit.probe() && breaker.getState() == CircuitBreaker.State.CLOSED;
  }

  /**
   * Whether a consumer should pause all its partitions: while the circuit is open and its wait has
   * not passed, or half-open while this consumer already holds records (one of which probes). Past
   * the wait, consumers fetch again so that some record can be the probe.
   */
  boolean holding(boolean hasBuffered) {
    if (breaker == null) {
      return false;
    }
    return switch (breaker.getState()) {
      case OPEN, FORCED_OPEN -> clock.instant().isBefore(openedAt.plus(openWait));
      case HALF_OPEN -> hasBuffered;
      default -> false;
    };
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
