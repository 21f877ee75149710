package dev.backstop.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollIntervalTest {

  private final PollInterval poll = new PollInterval(Duration.ofMillis(10), Duration.ofMillis(50));

  @Test
  void emptyReadsDoubleTheWaitUpToTheMaximum() {
    assertThat(poll.next(0, 100)).isEqualTo(Duration.ofMillis(10));
    assertThat(poll.next(0, 100)).isEqualTo(Duration.ofMillis(20));
    assertThat(poll.next(0, 100)).isEqualTo(Duration.ofMillis(40));
    assertThat(poll.next(0, 100)).isEqualTo(Duration.ofMillis(50));
    assertThat(poll.next(0, 100)).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void rowsResetTheWaitAndAFullBatchDoesNotWait() {
    poll.next(0, 100);
    poll.next(0, 100);
    assertThat(poll.next(3, 100)).isEqualTo(Duration.ofMillis(10));
    assertThat(poll.next(0, 100)).isEqualTo(Duration.ofMillis(10));
    assertThat(poll.next(100, 100)).isZero();
  }
}
