package dev.backstop.core;

import static dev.backstop.core.BackstopHeaders.ATTEMPT;
import static dev.backstop.core.BackstopHeaders.CREATED_AT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class MessageHeadersTest {
  private final Headers headers = new RecordHeaders();

  @Test
  void readsWhatItWrites() {
    Instant at = Instant.ofEpochMilli(1_767_225_600_123L);
    MessageId id = MessageId.generate();
    MessageHeaders.set(headers, BackstopHeaders.MESSAGE_ID, id.toString());
    MessageHeaders.setLong(headers, ATTEMPT, 3);
    MessageHeaders.setInstant(headers, CREATED_AT, at);
    MessageHeaders.set(headers, BackstopHeaders.CONSUMER_GROUP, "payments-é");

    assertThat(MessageHeaders.messageId(headers).value()).isEqualTo(id);
    assertThat(MessageHeaders.intValue(headers, ATTEMPT).value()).isEqualTo(3);
    assertThat(MessageHeaders.longValue(headers, ATTEMPT).value()).isEqualTo(3L);
    assertThat(MessageHeaders.instant(headers, CREATED_AT).value()).isEqualTo(at);
    assertThat(MessageHeaders.string(headers, BackstopHeaders.CONSUMER_GROUP).value())
        .isEqualTo("payments-é");
    assertThat(bytes(CREATED_AT)).isEqualTo("1767225600123");
  }

  @Test
  void missingHeaderIsAnEmptyValueWithAReason() {
    HeaderValue<Long> value = MessageHeaders.longValue(headers, ATTEMPT);

    assertThat(value.isPresent()).isFalse();
    assertThat(value.problem()).isEqualTo("missing");
    assertThat(value.name()).isEqualTo(ATTEMPT);
    assertThat(value.orElse(1L)).isEqualTo(1L);
    assertThat(value.toOptional()).isEmpty();
  }

  @Test
  void nonNumericLongHeaderIsCorruptNotAnException() {
    headers.add(ATTEMPT, "abc".getBytes(StandardCharsets.UTF_8));

    HeaderValue<Long> value = MessageHeaders.longValue(headers, ATTEMPT);

    assertThat(value.isPresent()).isFalse();
    assertThat(value.problem()).isEqualTo("corrupt: not a number: 'abc'");
    assertThat(MessageHeaders.instant(headers, ATTEMPT).problem())
        .isEqualTo("corrupt: not a number: 'abc'");
  }

  @Test
  void binaryIntFromAnotherLibraryIsCorrupt() {
    headers.add(ATTEMPT, new byte[] {0, 0, 0, 3});

    assertThat(MessageHeaders.intValue(headers, ATTEMPT).problem())
        .startsWith("corrupt: not a number");
  }

  @Test
  void intOutOfRangeIsCorrupt() {
    MessageHeaders.setLong(headers, ATTEMPT, Long.MAX_VALUE);

    assertThat(MessageHeaders.intValue(headers, ATTEMPT).problem())
        .isEqualTo("corrupt: not a number: '9223372036854775807'");
  }

  @Test
  void invalidUtf8IsCorruptAndShownInHex() {
    headers.add(BackstopHeaders.CONSUMER_GROUP, new byte[] {(byte) 0xC3, (byte) 0x28});

    assertThat(MessageHeaders.string(headers, BackstopHeaders.CONSUMER_GROUP).problem())
        .isEqualTo("corrupt: not valid UTF-8: 0xc328");
  }

  @Test
  void nullHeaderValueIsCorrupt() {
    headers.add(ATTEMPT, null);

    assertThat(MessageHeaders.longValue(headers, ATTEMPT).problem())
        .isEqualTo("corrupt: no value: null");
  }

  @Test
  void malformedMessageIdIsCorrupt() {
    MessageHeaders.set(headers, BackstopHeaders.MESSAGE_ID, "order-42");

    HeaderValue<MessageId> id = MessageHeaders.messageId(headers);

    assertThat(id.isPresent()).isFalse();
    assertThat(id.problem()).isEqualTo("corrupt: not a message id: 'order-42'");
  }

  @Test
  void lastValueWinsOnRead() {
    headers.add(ATTEMPT, "1".getBytes(StandardCharsets.UTF_8));
    headers.add(ATTEMPT, "2".getBytes(StandardCharsets.UTF_8));

    assertThat(MessageHeaders.intValue(headers, ATTEMPT).value()).isEqualTo(2);
  }

  @Test
  void setReplacesEveryEarlierValueSoHeadersDoNotGrow() {
    headers.add(ATTEMPT, "1".getBytes(StandardCharsets.UTF_8));
    headers.add(ATTEMPT, "2".getBytes(StandardCharsets.UTF_8));

    for (int hop = 3; hop < 10; hop++) {
      MessageHeaders.setLong(headers, ATTEMPT, hop);
    }

    assertThat(headers.headers(ATTEMPT)).hasSize(1);
    assertThat(bytes(ATTEMPT)).isEqualTo("9");
  }

  @Test
  void setIfAbsentKeepsTheFirstValue() {
    assertThat(MessageHeaders.setIfAbsent(headers, BackstopHeaders.ORIGINAL_TOPIC, "orders"))
        .isTrue();
    assertThat(
            MessageHeaders.setIfAbsent(headers, BackstopHeaders.ORIGINAL_TOPIC, "orders-retry-30s"))
        .isFalse();

    assertThat(bytes(BackstopHeaders.ORIGINAL_TOPIC)).isEqualTo("orders");
  }

  @Test
  void setErrorWritesEveryErrorHeaderAndKeepsFirstFailure() {
    Instant first = Instant.ofEpochMilli(1000);
    Instant second = Instant.ofEpochMilli(2000);
    IllegalStateException error =
        new IllegalStateException("stock low", new ArithmeticException("x"));

    MessageHeaders.setError(headers, error, first);
    MessageHeaders.setError(headers, error, second);

    assertThat(bytes(BackstopHeaders.ERROR_CLASS)).isEqualTo("java.lang.IllegalStateException");
    assertThat(bytes(BackstopHeaders.ERROR_MESSAGE)).isEqualTo("stock low");
    assertThat(bytes(BackstopHeaders.ERROR_STACKTRACE))
        .startsWith("java.lang.IllegalStateException: stock low")
        .contains("Caused by: java.lang.ArithmeticException: x")
        .contains("\t... ");
    assertThat(bytes(BackstopHeaders.ERROR_FINGERPRINT)).isEqualTo(ErrorFingerprint.of(error));
    assertThat(MessageHeaders.instant(headers, BackstopHeaders.FAILED_AT).value())
        .isEqualTo(second);
    assertThat(MessageHeaders.instant(headers, BackstopHeaders.FIRST_FAILED_AT).value())
        .isEqualTo(first);
    assertThat(headers.headers(BackstopHeaders.ERROR_CLASS)).hasSize(1);
  }

  @Test
  void setErrorWithoutMessageWritesEmptyMessage() {
    MessageHeaders.setError(headers, new NullPointerException(), Instant.EPOCH);

    assertThat(bytes(BackstopHeaders.ERROR_MESSAGE)).isEmpty();
  }

  @Test
  void setErrorCapsOversizedMessageAndStackTrace() {
    RuntimeException deep = new RuntimeException("é".repeat(5000), deepError(500, "root"));

    MessageHeaders.setError(headers, deep, Instant.EPOCH);

    byte[] message = headers.lastHeader(BackstopHeaders.ERROR_MESSAGE).value();
    byte[] trace = headers.lastHeader(BackstopHeaders.ERROR_STACKTRACE).value();
    assertThat(message.length).isLessThanOrEqualTo(BackstopHeaders.MAX_ERROR_MESSAGE_BYTES);
    assertThat(trace.length).isLessThanOrEqualTo(BackstopHeaders.MAX_STACKTRACE_BYTES);
    assertThat(new String(message, StandardCharsets.UTF_8)).endsWith("…[truncated]");
    assertThat(new String(trace, StandardCharsets.UTF_8)).endsWith("…[truncated]");
    assertThat(MessageHeaders.string(headers, BackstopHeaders.ERROR_MESSAGE).isPresent()).isTrue();
  }

  @Test
  void capUtf8NeverSplitsACharacter() {
    String emoji = "😀".repeat(100); // 4 bytes each
    for (int max = 0; max < 60; max++) {
      String capped = MessageHeaders.capUtf8(emoji, max);
      byte[] encoded = capped.getBytes(StandardCharsets.UTF_8);
      assertThat(encoded.length).isLessThanOrEqualTo(max);
      assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo(capped);
      assertThat(capped).doesNotContain("\uFFFD");
    }
    assertThat(MessageHeaders.capUtf8(emoji, 30)).isEqualTo("😀😀😀😀…[truncated]");
    assertThat(MessageHeaders.capUtf8(emoji, 29)).isEqualTo("😀😀😀…[truncated]");
  }

  @Test
  void capUtf8KeepsShortText() {
    assertThat(MessageHeaders.capUtf8("héllo", 6)).isEqualTo("héllo");
    assertThat(MessageHeaders.capUtf8("", 0)).isEmpty();
  }

  @Test
  void totalSizeCountsKeysAndValues() {
    MessageHeaders.set(headers, "ab", "cde");
    headers.add("é", null);

    assertThat(MessageHeaders.totalSize(headers)).isEqualTo(2 + 3 + 2);
  }

  private String bytes(String name) {
    return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static RuntimeException deepError(int depth, String message) {
    if (depth == 0) {
      return new IllegalStateException(message);
    }
    return new RuntimeException("level " + depth, deepError(depth - 1, message));
  }
}
