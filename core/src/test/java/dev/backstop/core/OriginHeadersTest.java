package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class OriginHeadersTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T01:00:00Z"), ZoneOffset.UTC);

  @Test
  void stampsAMessageIdAndCreationTimeWhenAbsent() {
    RecordHeaders headers = new RecordHeaders();

    String id = OriginHeaders.stamp(headers, clock);

    assertThat(MessageHeaders.messageId(headers).value().toString()).isEqualTo(id);
    assertThat(MessageHeaders.messageId(headers).value().timestamp()).isEqualTo(clock.instant());
    assertThat(MessageHeaders.instant(headers, BackstopHeaders.CREATED_AT).value())
        .isEqualTo(clock.instant());
  }

  @Test
  void keepsHeadersTheRecordAlreadyCarries() {
    RecordHeaders headers = new RecordHeaders();
    String original = MessageId.generate().toString();
    MessageHeaders.set(headers, BackstopHeaders.MESSAGE_ID, original);
    MessageHeaders.setLong(headers, BackstopHeaders.CREATED_AT, 42);

    assertThat(OriginHeaders.stamp(headers, clock)).isEqualTo(original);
    assertThat(MessageHeaders.longValue(headers, BackstopHeaders.CREATED_AT).value()).isEqualTo(42);
    assertThat(headers.toArray()).hasSize(2);
  }

  @Test
  void asAnInterceptorStampsEveryRecordAProducerSends() {
    OriginHeaders interceptor = new OriginHeaders();
    interceptor.configure(Map.of(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, "x"));
    ProducerRecord<Object, Object> record =
        new ProducerRecord<>("orders", "k", "v".getBytes(StandardCharsets.UTF_8));

    ProducerRecord<Object, Object> sent = interceptor.onSend(record);

    assertThat(sent).isSameAs(record);
    assertThat(MessageHeaders.messageId(sent.headers()).isPresent()).isTrue();
    assertThat(MessageHeaders.instant(sent.headers(), BackstopHeaders.CREATED_AT).isPresent())
        .isTrue();
  }

  @Test
  void recordsBuiltAgainFromTheSameBusinessKeyCarryOneId() {
    RecordHeaders first = new RecordHeaders();
    RecordHeaders rebuilt = new RecordHeaders();
    String id = OriginHeaders.stampFromKey(first, "order-17/paid", clock);
    String again = OriginHeaders.stampFromKey(rebuilt, "order-17/paid", Clock.systemUTC());

    assertThat(again).isEqualTo(id);
    assertThat(MessageHeaders.messageId(rebuilt).value().toString()).isEqualTo(id);
    assertThat(MessageHeaders.instant(first, BackstopHeaders.CREATED_AT).value())
        .isEqualTo(clock.instant());
  }

  @Test
  void differentBusinessKeysGiveDifferentValidIds() {
    String a = OriginHeaders.stampFromKey(new RecordHeaders(), "order-17/paid", clock);
    String b = OriginHeaders.stampFromKey(new RecordHeaders(), "order-17/shipped", clock);

    assertThat(a).isNotEqualTo(b);
    assertThat(MessageId.parse(a).uuid().version()).isEqualTo(7);
    assertThat(MessageId.parse(b).uuid().variant()).isEqualTo(2);
  }

  @Test
  void aBusinessKeyDoesNotReplaceAnIdTheRecordCarries() {
    RecordHeaders headers = new RecordHeaders();
    String existing = OriginHeaders.stamp(headers, clock);

    assertThat(OriginHeaders.stampFromKey(headers, "order-17/paid", clock)).isEqualTo(existing);
  }

  @Test
  void rejectsABlankBusinessKey() {
    assertThatThrownBy(() -> OriginHeaders.stampFromKey(new RecordHeaders(), " ", clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid business key ' '");
  }
}
