package dev.backstop.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelayWakeUpTest {

  private final RelayWakeUp wakeUp = new RelayWakeUp();

  @Test
  void aWakeUpIsVisibleUntilTheNextIdleConsumesIt() throws InterruptedException {
    assertThat(wakeUp.isWoken()).isFalse();
    wakeUp.wakeUp();
    wakeUp.wakeUp();
    assertThat(wakeUp.isWoken()).as("wake-ups coalesce and wait for the relay").isTrue();
    wakeUp.idle(Duration.ofHours(1)); // returns at once: the wake-up is pending
    assertThat(wakeUp.isWoken()).isFalse();
  }

  @Test
  void backoffIgnoresAndKeepsAWakeUp() throws InterruptedException {
    wakeUp.wakeUp();
    wakeUp.backoff(Duration.ofMillis(1));
    assertThat(wakeUp.isWoken()).isTrue();
  }
}
