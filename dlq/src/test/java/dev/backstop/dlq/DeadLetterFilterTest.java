package dev.backstop.dlq;

import static dev.backstop.dlq.Records.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.BackstopHeaders;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class DeadLetterFilterTest {

  private static DeadLetter letter(
      int partition, long offset, String key, String error, String original) {
    Headers h = headers();
    h.add(BackstopHeaders.ERROR_CLASS, utf8(error));
    h.add(BackstopHeaders.ERROR_FINGERPRINT, utf8("abcd1234"));
    h.add(BackstopHeaders.ORIGINAL_TOPIC, utf8(original));
    return DeadLetters.decode(record("orders.dlq", partition, offset, key, utf8("v"), h));
  }

  private final DeadLetter letter =
      letter(1, 10, "order-7", "com.acme.InvalidOrderException", "orders");

  @Test
  void emptyFilterMatchesEverything() {
    assertThat(DeadLetterFilter.ALL.matches(letter)).isTrue();
  }

  @Test
  void matchesErrorClassBySimpleOrFullName() {
    assertThat(
            DeadLetterFilter.builder().errorClass("InvalidOrderException").build().matches(letter))
        .isTrue();
    assertThat(
            DeadLetterFilter.builder()
                .errorClass("com.acme.InvalidOrderException")
                .build()
                .matches(letter))
        .isTrue();
    assertThat(DeadLetterFilter.builder().errorClass("OrderException").build().matches(letter))
        .isFalse();
  }

  @Test
  void matchesANestedErrorClassByItsSimpleName() {
    DeadLetter nested = letter(1, 11, "order-8", "com.acme.Payments$DeclinedException", "orders");
    assertThat(DeadLetterFilter.builder().errorClass("DeclinedException").build().matches(nested))
        .isTrue();
    assertThat(
            DeadLetterFilter.builder()
                .errorClass("Payments$DeclinedException")
                .build()
                .matches(nested))
        .isTrue();
  }

  @Test
  void matchesKeyFingerprintPrefixOriginalTopicAndOffsets() {
    assertThat(DeadLetterFilter.builder().key("order-7").build().matches(letter)).isTrue();
    assertThat(DeadLetterFilter.builder().key("order-8").build().matches(letter)).isFalse();
    assertThat(DeadLetterFilter.builder().fingerprint("abcd").build().matches(letter)).isTrue();
    assertThat(DeadLetterFilter.builder().fingerprint("ffff").build().matches(letter)).isFalse();
    assertThat(DeadLetterFilter.builder().originalTopic("orders").build().matches(letter)).isTrue();
    assertThat(DeadLetterFilter.builder().originalTopic("payments").build().matches(letter))
        .isFalse();
    assertThat(
            DeadLetterFilter.builder()
                .partition(1)
                .fromOffset(10L)
                .toOffset(10L)
                .build()
                .matches(letter))
        .isTrue();
    assertThat(DeadLetterFilter.builder().partition(1).fromOffset(11L).build().matches(letter))
        .isFalse();
    assertThat(DeadLetterFilter.builder().partition(0).build().matches(letter)).isFalse();
  }

  @Test
  void matchesTimeRangeInclusive() {
    Instant at = letter.timestamp();
    assertThat(DeadLetterFilter.builder().since(at).until(at).build().matches(letter)).isTrue();
    assertThat(DeadLetterFilter.builder().since(at.plusMillis(1)).build().matches(letter))
        .isFalse();
    assertThat(DeadLetterFilter.builder().until(at.minusMillis(1)).build().matches(letter))
        .isFalse();
  }

  @Test
  void rejectsContradictions() {
    Instant now = Instant.parse("2026-11-26T12:00:00Z");
    assertThatThrownBy(
            () -> DeadLetterFilter.builder().since(now).until(now.minusSeconds(1)).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("since 2026-11-26T12:00:00Z is after until 2026-11-26T11:59:59Z");
    assertThatThrownBy(() -> DeadLetterFilter.builder().fromOffset(1L).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("needs a partition");
    assertThatThrownBy(
            () -> DeadLetterFilter.builder().partition(0).fromOffset(5L).toOffset(4L).build())
        .hasMessageContaining("from 5 is after to 4");
    assertThatThrownBy(() -> DeadLetterFilter.builder().limit(0).build())
        .hasMessage("Invalid limit 0: must be at least 1");
  }

  @Test
  void canonicalFormIsStable() {
    DeadLetterFilter a = DeadLetterFilter.builder().errorClass("X").limit(5).build();
    DeadLetterFilter b = DeadLetterFilter.builder().limit(5).errorClass("X").build();
    assertThat(a.canonical()).isEqualTo(b.canonical()).contains("error=X").contains("limit=5");
  }
}
