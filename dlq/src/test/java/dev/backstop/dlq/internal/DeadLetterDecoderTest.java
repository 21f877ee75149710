package dev.backstop.dlq.internal;

import static dev.backstop.dlq.Records.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.dlq.DeadLetter;
import dev.backstop.dlq.DeadLetterSource;
import dev.backstop.dlq.DecodedHeader;
import dev.backstop.dlq.FailureInfo;
import java.math.BigInteger;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class DeadLetterDecoderTest {

  @Test
  void decodesBackstopHeaders() {
    Headers h = headers();
    h.add(BackstopHeaders.MESSAGE_ID, utf8("0190a1b2-0000-7000-8000-000000000001"));
    h.add(BackstopHeaders.ORIGINAL_TOPIC, utf8("orders"));
    h.add(BackstopHeaders.ORIGINAL_PARTITION, utf8("3"));
    h.add(BackstopHeaders.ORIGINAL_OFFSET, utf8("1234"));
    h.add(BackstopHeaders.ORIGINAL_TIMESTAMP, utf8("1700000000000"));
    h.add(BackstopHeaders.CONSUMER_GROUP, utf8("payments"));
    h.add(BackstopHeaders.ERROR_CLASS, utf8("com.acme.InvalidOrderException"));
    h.add(BackstopHeaders.ERROR_MESSAGE, utf8("amount must be positive"));
    h.add(BackstopHeaders.ERROR_FINGERPRINT, utf8("9f3a12c0"));
    h.add(BackstopHeaders.FAILED_AT, utf8("1700000001000"));
    h.add(BackstopHeaders.REPLAY_COUNT, utf8("2"));

    FailureInfo f =
        DeadLetterDecoder.decode(record("orders.dlq", 0, 7, "k", utf8("{}"), h)).failure();

    assertThat(f.source()).isEqualTo(DeadLetterSource.BACKSTOP);
    assertThat(f.originalAddress()).isEqualTo("orders/3/1234");
    assertThat(f.originalTimestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(f.consumerGroup()).isEqualTo("payments");
    assertThat(f.errorClass()).isEqualTo("com.acme.InvalidOrderException");
    assertThat(f.errorMessage()).isEqualTo("amount must be positive");
    assertThat(f.fingerprint()).isEqualTo("9f3a12c0");
    assertThat(f.messageId()).isEqualTo("0190a1b2-0000-7000-8000-000000000001");
    assertThat(f.failedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_001_000L));
    assertThat(f.replayCount()).isEqualTo(2);
  }

  @Test
  void decodesSpringKafkaBinaryHeaders() {
    Headers h = headers();
    h.add("kafka_dlt-original-topic", utf8("orders"));
    h.add("kafka_dlt-original-partition", int32(5));
    h.add("kafka_dlt-original-offset", int64(9_876_543_210L));
    h.add("kafka_dlt-original-timestamp", int64(1_700_000_000_000L));
    h.add("kafka_dlt-original-timestamp-type", utf8("CreateTime"));
    h.add("kafka_dlt-original-consumer-group", utf8("billing"));
    h.add(
        "kafka_dlt-exception-fqcn",
        utf8("org.springframework.kafka.listener.ListenerExecutionFailedException"));
    h.add("kafka_dlt-exception-cause-fqcn", utf8("java.lang.IllegalStateException"));
    h.add("kafka_dlt-exception-message", utf8("Listener failed; bad state"));
    h.add(
        "kafka_dlt-exception-stacktrace",
        utf8("java.lang.IllegalStateException: bad state\n\tat x.Y.z(Y.java:1)"));

    DeadLetter letter = DeadLetterDecoder.decode(record("orders-dlt", 0, 1, null, utf8("x"), h));
    FailureInfo f = letter.failure();

    assertThat(f.source()).isEqualTo(DeadLetterSource.SPRING_KAFKA);
    assertThat(f.originalAddress()).isEqualTo("orders/5/9876543210");
    assertThat(f.originalTimestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(f.consumerGroup()).isEqualTo("billing");
    assertThat(f.errorClass()).endsWith("ListenerExecutionFailedException");
    assertThat(f.errorMessage()).isEqualTo("Listener failed; bad state");
    assertThat(f.stacktrace()).contains("bad state");
    assertThat(letter.headers())
        .filteredOn(d -> d.name().equals("kafka_dlt-original-offset"))
        .extracting(DecodedHeader::display)
        .containsExactly("9876543210");
  }

  @Test
  void decodesSpringRetryTopicHeaders() {
    Headers h = headers();
    h.add("kafka_original-topic", utf8("payments"));
    h.add("kafka_original-partition", int32(1));
    h.add("kafka_original-offset", int64(42));
    h.add("kafka_exception-fqcn", utf8("java.net.SocketTimeoutException"));
    h.add("kafka_exception-message", utf8("Read timed out"));
    h.add("retry_topic-attempts", int32(3));
    h.add("retry_topic-backoff-timestamp", BigInteger.valueOf(1_700_000_005_000L).toByteArray());
    h.add("retry_topic-original-timestamp", BigInteger.valueOf(1_700_000_000_000L).toByteArray());

    DeadLetter letter =
        DeadLetterDecoder.decode(record("payments-retry-1000", 0, 0, null, null, h));
    FailureInfo f = letter.failure();

    assertThat(f.source()).isEqualTo(DeadLetterSource.SPRING_RETRY_TOPIC);
    assertThat(f.originalAddress()).isEqualTo("payments/1/42");
    assertThat(f.errorClass()).isEqualTo("java.net.SocketTimeoutException");
    assertThat(f.attempt()).isEqualTo(3);
    assertThat(letter.headers())
        .filteredOn(d -> d.name().equals("retry_topic-backoff-timestamp"))
        .extracting(DecodedHeader::display)
        .containsExactly(Instant.ofEpochMilli(1_700_000_005_000L).toString());
  }

  @Test
  void decodesKafkaConnectHeaders() {
    Headers h = headers();
    h.add("__connect.errors.topic", utf8("customers"));
    h.add("__connect.errors.partition", utf8("2"));
    h.add("__connect.errors.offset", utf8("77"));
    h.add("__connect.errors.connector.name", utf8("jdbc-sink"));
    h.add("__connect.errors.task.id", utf8("0"));
    h.add("__connect.errors.stage", utf8("VALUE_CONVERTER"));
    h.add(
        "__connect.errors.exception.class.name",
        utf8("org.apache.kafka.connect.errors.DataException"));
    h.add(
        "__connect.errors.exception.message",
        utf8("Converting byte[] to Kafka Connect data failed"));

    FailureInfo f =
        DeadLetterDecoder.decode(record("dlq-jdbc-sink", 0, 3, null, utf8("{"), h)).failure();

    assertThat(f.source()).isEqualTo(DeadLetterSource.KAFKA_CONNECT);
    assertThat(f.originalAddress()).isEqualTo("customers/2/77");
    assertThat(f.errorClass()).isEqualTo("org.apache.kafka.connect.errors.DataException");
    assertThat(f.errorMessage()).startsWith("Converting byte[]");
  }

  @Test
  void showsCorruptAndUnknownHeadersRawWithoutFailing() {
    Headers h = headers();
    h.add("kafka_dlt-original-topic", utf8("orders"));
    h.add("kafka_dlt-original-partition", new byte[] {1, 2, 3});
    h.add("kafka_dlt-original-offset", utf8("not-binary"));
    h.add(BackstopHeaders.REPLAY_COUNT, utf8("two"));
    h.add("x-binary", new byte[] {0, (byte) 0xff, 0x10});
    h.add("x-text", utf8("hello"));
    h.add("x-null", null);

    DeadLetter letter = DeadLetterDecoder.decode(record("orders-dlt", 0, 1, null, null, h));

    assertThat(letter.failure().originalTopic()).isEqualTo("orders");
    assertThat(letter.failure().originalPartition()).isNull();
    assertThat(letter.failure().originalOffset()).isNull();
    assertThat(letter.failure().replayCount()).isZero();
    assertThat(letter.headers())
        .extracting(DecodedHeader::name, DecodedHeader::display, DecodedHeader::decoded)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "kafka_dlt-original-partition", "hex:010203", false),
            org.assertj.core.groups.Tuple.tuple("x-binary", "hex:00ff10", true),
            org.assertj.core.groups.Tuple.tuple("x-text", "hello", true),
            org.assertj.core.groups.Tuple.tuple("x-null", "(null)", true));
    assertThat(letter.headers())
        .filteredOn(d -> d.name().equals("kafka_dlt-original-partition"))
        .extracting(DecodedHeader::problem)
        .containsExactly("binary int: expected 4 bytes, found 3");
  }

  @Test
  void recordWithoutFailureHeadersIsUnknown() {
    DeadLetter letter = DeadLetterDecoder.decode(record("t", 0, 0, null, null, headers()));
    assertThat(letter.failure().source()).isEqualTo(DeadLetterSource.UNKNOWN);
    assertThat(letter.failure().originalAddress()).isNull();
  }

  @Test
  void lastHeaderOfANameWins() {
    Headers h = headers();
    h.add(BackstopHeaders.ERROR_CLASS, utf8("First"));
    h.add(BackstopHeaders.ERROR_CLASS, utf8("Second"));
    assertThat(DeadLetterDecoder.decode(record("t", 0, 0, null, null, h)).failure().errorClass())
        .isEqualTo("Second");
  }
}
