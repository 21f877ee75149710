package dev.backstop.dlq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AckTrackerTest {

  @Test
  void checkpointStopsAtTheFirstUnacknowledgedSend() {
    AckTracker tracker = new AckTracker(10);
    tracker.done(10);
    tracker.sent(11);
    tracker.sent(12);
    tracker.done(13);
    assertThat(tracker.safeOffset()).isEqualTo(11);
    tracker.acknowledged(12);
    assertThat(tracker.safeOffset()).isEqualTo(11);
    tracker.acknowledged(11);
    assertThat(tracker.safeOffset()).isEqualTo(14);
    tracker.readTo(20);
    assertThat(tracker.safeOffset()).isEqualTo(20);
    assertThat(tracker.inFlight()).isZero();
  }
}
