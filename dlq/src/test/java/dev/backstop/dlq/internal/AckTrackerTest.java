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

  @Test
  void remembersAcknowledgementsBehindAFailedSend() {
    AckTracker tracker = new AckTracker(0);
    for (long o = 0; o < 8; o++) {
      tracker.sent(o);
    }
    for (long o : new long[] {0, 1, 3, 4, 6, 7}) {
      tracker.acknowledged(o);
    }
    // 2 failed, 5 still in flight
    assertThat(tracker.safeOffset()).isEqualTo(2);
    assertThat(tracker.acknowledgedAbove()).containsExactly(new long[] {3, 4}, new long[] {6, 7});
    tracker.acknowledged(2);
    assertThat(tracker.safeOffset()).isEqualTo(5);
    assertThat(tracker.acknowledgedAbove()).containsExactly(new long[] {6, 7});
  }
}
