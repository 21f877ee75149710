package dev.backstop.retry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class HeaderStamperTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:10Z");

  private static ConsumerRecord<byte[], byte[]> record(String topic, long offset, Headers headers) {
    return new ConsumerRecord<>(
        topic,
        2,
        offset,
        NOW.minusSeconds(10).toEpochMilli(),
        TimestampType.CREATE_TIME,
        1,
        1,
        "k".getBytes(StandardCharsets.UTF_8),
        "v".getBytes(StandardCharsets.UTF_8),
        headers,
        Optional.empty());
  }

  private static String header(Headers headers, String name) {
    return MessageHeaders.string(headers, name).orElse(null);
  }

  @Test
  void stampsTheContractOnAFirstFailure() {
    ConsumerRecord<byte[], byte[]> source = record("orders", 42, new RecordHeaders());
    Headers handler = HeaderStamper.forHandler(source, true);
    Headers failed =
        HeaderStamper.failed(handler, source, "payments", new IllegalStateException("boom"), NOW);
    HeaderStamper.toTier(failed, 1, NOW.plusSeconds(1));

    assertThat(header(failed, BackstopHeaders.ATTEMPT)).isEqualTo("2");
    assertThat(header(failed, BackstopHeaders.RETRY_TIER)).isEqualTo("1");
    assertThat(header(failed, BackstopHeaders.RETRY_DUE_AT))
        .isEqualTo(Long.toString(NOW.plusSeconds(1).toEpochMilli()));
    assertThat(header(failed, BackstopHeaders.ORIGINAL_TOPIC)).isEqualTo("orders");
    assertThat(header(failed, BackstopHeaders.ORIGINAL_PARTITION)).isEqualTo("2");
    assertThat(header(failed, BackstopHeaders.ORIGINAL_OFFSET)).isEqualTo("42");
    assertThat(header(failed, BackstopHeaders.CONSUMER_GROUP)).isEqualTo("payments");
    assertThat(header(failed, BackstopHeaders.ERROR_CLASS))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(header(failed, BackstopHeaders.ERROR_MESSAGE)).isEqualTo("boom");
    assertThat(header(failed, BackstopHeaders.FIRST_FAILED_AT))
        .isEqualTo(Long.toString(NOW.toEpochMilli()));
    assertThat(header(failed, BackstopHeaders.MESSAGE_ID))
        .isEqualTo(HeaderStamper.derivedMessageId(source).toString());
  }

  @Test
  void everyHopReplacesHeadersAndKeepsTheOrigin() {
    ConsumerRecord<byte[], byte[]> source = record("orders", 42, new RecordHeaders());
    Headers hop =
        HeaderStamper.failed(
            HeaderStamper.forHandler(source, true), source, "g", new RuntimeException("a"), NOW);
    HeaderStamper.toTier(hop, 1, NOW.plusSeconds(1));
    int size = MessageHeaders.totalSize(hop);
    int count = hop.toArray().length;
    for (int i = 0; i < 5; i++) {
      ConsumerRecord<byte[], byte[]> tier = record("orders.retry.1s", 7 + i, hop);
      Headers next =
          HeaderStamper.failed(
              HeaderStamper.forHandler(tier, false),
              tier,
              "g",
              new RuntimeException("a"),
              NOW.plusSeconds(i + 1));
      HeaderStamper.toTier(next, i + 2, NOW.plusSeconds(i + 2));
      hop = next;
    }
    assertThat(hop.toArray()).hasSize(count);
    assertThat(MessageHeaders.totalSize(hop)).isBetween(size - 4, size + 4);
    assertThat(header(hop, BackstopHeaders.ATTEMPT)).isEqualTo("7");
    assertThat(header(hop, BackstopHeaders.ORIGINAL_OFFSET)).isEqualTo("42");
    assertThat(header(hop, BackstopHeaders.FIRST_FAILED_AT))
        .isEqualTo(Long.toString(NOW.toEpochMilli()));
  }

  @Test
  void sourceDeliveryStartsTheRetryPathOver() {
    RecordHeaders replayed = new RecordHeaders();
    MessageHeaders.set(replayed, BackstopHeaders.ATTEMPT, "4");
    MessageHeaders.set(replayed, BackstopHeaders.RETRY_TIER, "3");
    MessageHeaders.set(replayed, BackstopHeaders.FIRST_FAILED_AT, "5");
    MessageHeaders.set(
        replayed, BackstopHeaders.MESSAGE_ID, "0190f5a2-3b4c-7d5e-8f60-718293a4b5c6");
    Headers handler = HeaderStamper.forHandler(record("orders", 1, replayed), true);
    assertThat(header(handler, BackstopHeaders.ATTEMPT)).isEqualTo("1");
    assertThat(handler.lastHeader(BackstopHeaders.RETRY_TIER)).isNull();
    assertThat(handler.lastHeader(BackstopHeaders.FIRST_FAILED_AT)).isNull();
    assertThat(header(handler, BackstopHeaders.MESSAGE_ID))
        .isEqualTo("0190f5a2-3b4c-7d5e-8f60-718293a4b5c6");
  }

  @Test
  void derivedMessageIdIsStablePerConsumedPosition() {
    ConsumerRecord<byte[], byte[]> a = record("orders", 1, new RecordHeaders());
    assertThat(HeaderStamper.derivedMessageId(a))
        .isEqualTo(HeaderStamper.derivedMessageId(record("orders", 1, new RecordHeaders())))
        .isNotEqualTo(HeaderStamper.derivedMessageId(record("orders", 2, new RecordHeaders())));
    assertThat(HeaderStamper.derivedMessageId(a).timestamp().toEpochMilli())
        .isEqualTo(a.timestamp());
  }

  @Test
  void oversizedHeadersLoseTheStackTraceFirst() {
    RecordHeaders headers = new RecordHeaders();
    MessageHeaders.setError(headers, new RuntimeException("x".repeat(2000)), NOW);
    headers.add("big", new byte[3000]);
    assertThat(HeaderStamper.fit(headers, 4500)).isTrue();
    assertThat(header(headers, BackstopHeaders.ERROR_STACKTRACE)).startsWith("…[removed");
    assertThat(header(headers, BackstopHeaders.ERROR_MESSAGE)).startsWith("xxx");
    assertThat(HeaderStamper.fit(headers, 3500)).isTrue();
    assertThat(HeaderStamper.fit(headers, 100)).isFalse();
  }
}
