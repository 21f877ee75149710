package dev.backstop.outbox.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.outbox.InvalidOutboxMessageException;
import dev.backstop.outbox.OutboxMessage;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class OutboxWriterValidationTest {

  private final OutboxWriter writer = new OutboxWriter(null, Clock.systemUTC(), 16, 100);

  @Test
  void rejectsAMissingTopic() {
    assertThatThrownBy(() -> writer.validate(OutboxMessage.of(null, "k1", new byte[1])))
        .isInstanceOf(InvalidOutboxMessageException.class)
        .hasMessage("Outbox message with key 'k1' has no topic");
  }

  @Test
  void rejectsAnIllegalTopicName() {
    assertThatThrownBy(() -> writer.validate(OutboxMessage.of("orders/eu", "k1", new byte[1])))
        .isInstanceOf(InvalidOutboxMessageException.class)
        .hasMessageStartingWith("Invalid topic name 'orders/eu' for outbox message with key 'k1'");
  }

  @Test
  void rejectsAMessageOverTheSizeLimitCountingHeaders() {
    OutboxMessage message =
        OutboxMessage.of("orders", new byte[] {(byte) 0xff, 0}, new byte[80])
            .withHeader("h", new byte[20]);
    assertThatThrownBy(() -> writer.validate(message))
        .isInstanceOf(InvalidOutboxMessageException.class)
        .hasMessage(
            "Outbox message for topic orders with key 0xff00 is 103 bytes, more than"
                + " backstop.outbox.max-message-bytes=100");
  }

  @Test
  void acceptsAMessageAtTheLimit() {
    assertThatCode(() -> writer.validate(OutboxMessage.of("orders", "k", new byte[99])))
        .doesNotThrowAnyException();
  }
}
