package dev.backstop.retry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.retry.RetryConfig;
import dev.backstop.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitGateTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final IllegalStateException down = new IllegalStateException("down");

  private CircuitGate gate(boolean enabled) {
    RetryConfig config =
        RetryConfig.builder()
            .groupId("g")
            .topics("t")
            .circuitEnabled(enabled)
            .circuit(50, 4, 2, Duration.ofSeconds(10))
            .build();
    return CircuitGate.create(config, clock);
  }

  @Test
  void disabledCircuitAlwaysLetsFailuresMoveOn() {
    CircuitGate gate = gate(false);
    for (int i = 0; i < 10; i++) {
      assertThat(gate.failure(gate.tryAcquire(), 1, down)).isTrue();
    }
    assertThat(gate.holding(true)).isFalse();
    assertThat(gate.state()).isEqualTo("DISABLED");
  }

  @Test
  void failureThatOpensTheCircuitIsHeldAndConsumersPause() {
    CircuitGate gate = gate(true);
    assertThat(gate.failure(gate.tryAcquire(), 1, down)).as("below minimum calls").isTrue();
    assertThat(gate.failure(gate.tryAcquire(), 1, down)).as("this one opens it").isFalse();
    assertThat(gate.state()).isEqualTo("OPEN");
    assertThat(gate.level()).isEqualTo(2);
    assertThat(gate.holding(false)).isTrue();
    assertThat(gate.tryAcquire()).isNull();
  }

  @Test
  void afterTheWaitOneProbeDecides() {
    CircuitGate gate = gate(true);
    gate.failure(gate.tryAcquire(), 1, down);
    gate.failure(gate.tryAcquire(), 1, down);

    clock.advance(Duration.ofMillis(10_001));
    assertThat(gate.holding(false)).as("consumers fetch again to find a probe").isFalse();
    CircuitGate.Permit probe = gate.tryAcquire();
    assertThat(probe.probe()).isTrue();
    assertThat(gate.tryAcquire()).as("only one probe at a time").isNull();
    assertThat(gate.holding(true)).isTrue();
    assertThat(gate.failure(probe, 1, down)).as("a failed probe is held").isFalse();
    assertThat(gate.state()).isEqualTo("OPEN");

    clock.advance(Duration.ofMillis(10_001));
    CircuitGate.Permit second = gate.tryAcquire();
    assertThat(second.probe()).isTrue();
    gate.success(1);
    assertThat(gate.state()).isEqualTo("CLOSED");
    assertThat(gate.holding(true)).isFalse();
    assertThat(gate.tryAcquire().probe()).isFalse();
  }

  @Test
  void deadLetterAndSkipFailuresDoNotCount() {
    CircuitGate gate = gate(true);
    for (int i = 0; i < 10; i++) {
      gate.tryAcquire();
      gate.release();
    }
    assertThat(gate.state()).isEqualTo("CLOSED");
  }
}
