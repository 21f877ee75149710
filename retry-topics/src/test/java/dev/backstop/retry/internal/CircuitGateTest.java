package dev.backstop.retry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitGateTest {
  private static final boolean FRESH = true;
  private static final boolean TIER = false;

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final IllegalStateException down = new IllegalStateException("down");

  private CircuitGate gate(boolean enabled) {
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder()
            .groupId("g")
            .topics("t")
            .circuitEnabled(enabled)
            .circuit(50, 4, 2, Duration.ofSeconds(10))
            .build();
    return CircuitGate.create(config, clock);
  }

  private void open(CircuitGate gate) {
    gate.failure(gate.tryAcquire(FRESH), 1, down);
    gate.failure(gate.tryAcquire(FRESH), 1, down);
    assertThat(gate.state()).isEqualTo("OPEN");
  }

  @Test
  void disabledCircuitAlwaysLetsFailuresMoveOn() {
    CircuitGate gate = gate(false);
    for (int i = 0; i < 10; i++) {
      assertThat(gate.failure(gate.tryAcquire(FRESH), 1, down)).isTrue();
    }
    assertThat(gate.holding(FRESH, true)).isFalse();
    assertThat(gate.state()).isEqualTo("DISABLED");
  }

  @Test
  void failureThatOpensTheCircuitIsHeldAndConsumersPause() {
    CircuitGate gate = gate(true);
    assertThat(gate.failure(gate.tryAcquire(FRESH), 1, down)).as("below minimum calls").isTrue();
    assertThat(gate.failure(gate.tryAcquire(FRESH), 1, down)).as("this one opens it").isFalse();
    assertThat(gate.state()).isEqualTo("OPEN");
    assertThat(gate.level()).isEqualTo(2);
    assertThat(gate.holding(FRESH, false)).isTrue();
    assertThat(gate.holding(TIER, false)).isTrue();
    assertThat(gate.tryAcquire(FRESH)).isNull();
    assertThat(gate.tryAcquire(TIER)).isNull();
  }

  @Test
  void afterTheWaitOneProbeDecides() {
    CircuitGate gate = gate(true);
    open(gate);

    clock.advance(Duration.ofMillis(10_001));
    assertThat(gate.holding(FRESH, false)).as("consumers fetch again to find a probe").isFalse();
    CircuitGate.Permit probe = gate.tryAcquire(FRESH);
    assertThat(probe.probe()).isTrue();
    assertThat(gate.tryAcquire(FRESH)).as("only one probe at a time").isNull();
    assertThat(gate.holding(FRESH, true)).isTrue();
    assertThat(gate.failure(probe, 1, down)).as("a failed probe is held").isFalse();
    assertThat(gate.state()).isEqualTo("OPEN");

    clock.advance(Duration.ofMillis(10_001));
    CircuitGate.Permit second = gate.tryAcquire(FRESH);
    assertThat(second.probe()).isTrue();
    gate.success(second, 1);
    assertThat(gate.state()).isEqualTo("CLOSED");
    assertThat(gate.holding(FRESH, true)).isFalse();
    assertThat(gate.tryAcquire(FRESH).probe()).isFalse();
  }

  @Test
  void deadLetterAndSkipFailuresDoNotCount() {
    CircuitGate gate = gate(true);
    for (int i = 0; i < 10; i++) {
      gate.release(gate.tryAcquire(FRESH));
    }
    assertThat(gate.state()).isEqualTo("CLOSED");
  }

  @Test
  void tierFailuresNeverOpenTheCircuit() {
    CircuitGate gate = gate(true);
    for (int i = 0; i < 50; i++) {
      assertThat(gate.failure(gate.tryAcquire(TIER), 1, down))
          .as("a tier record that fails for its own reasons moves on")
          .isTrue();
    }
    assertThat(gate.state()).isEqualTo("CLOSED");
    assertThat(gate.holding(FRESH, true)).isFalse();
  }

  @Test
  void anOutageSeenInFreshTrafficHoldsTierRecordsToo() {
    CircuitGate gate = gate(true);
    gate.freshIdle(false);
    open(gate);
    clock.advance(Duration.ofMillis(10_001));
    assertThat(gate.holding(TIER, true))
        .as("a tier waits while the main consumer has a probe to offer")
        .isTrue();
    assertThat(gate.tryAcquire(TIER)).isNull();
    assertThat(gate.tryAcquire(FRESH).probe()).isTrue();
  }

  @Test
  void aTierRecordProbesWhenNoFreshRecordCan() {
    CircuitGate gate = gate(true);
    open(gate);
    gate.freshIdle(true);
    clock.advance(Duration.ofMillis(10_001));
    assertThat(gate.holding(TIER, false)).isFalse();
    CircuitGate.Permit probe = gate.tryAcquire(TIER);
    assertThat(probe.probe()).isTrue();
    gate.success(probe, 1);
    assertThat(gate.state()).isEqualTo("CLOSED");
  }

  @Test
  void aPermitGivenBackTwiceFreesOnlyOneCall() {
    CircuitGate gate = gate(true);
    open(gate);
    clock.advance(Duration.ofMillis(10_001));
    CircuitGate.Permit probe = gate.tryAcquire(FRESH);
    gate.release(probe);
    gate.release(probe);
    CircuitGate.Permit next = gate.tryAcquire(FRESH);
    assertThat(next).as("the released probe permit is free again").isNotNull();
    assertThat(gate.tryAcquire(FRESH)).as("but only once").isNull();
  }
}
