package dev.backstop.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignalTest {

  private final Signal signal = new Signal();

  @Test
  void aWakeUpIsVisibleUntilTheNextIdleConsumesIt() throws InterruptedException {
    assertThat(signal.isWoken()).isFalse();
    signal.wakeUp();
    signal.wakeUp();
    assertThat(signal.isWoken()).as("wake-ups coalesce and wait for the relay").isTrue();
    signal.idle(Duration.ofHours(1)); // returns at once: the wake-up is pending
    assertThat(signal.isWoken()).isFalse();
  }

  @Test
  void backoffIgnoresAndKeepsAWakeUp() throws InterruptedException {
    signal.wakeUp();
    signal.backoff(Duration.ofMillis(1));
    assertThat(signal.isWoken()).isTrue();
  }
}
