package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {

  @AfterEach
  void clear() {
    MDC.clear();
  }

  private static ConsumerRecord<byte[], byte[]> record(String topic, String id) {
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(topic, 3, 42L, null, null);
    record.headers().add(BackstopHeaders.MESSAGE_ID, id.getBytes(StandardCharsets.UTF_8));
    return record;
  }

  @Test
  @SuppressWarnings("try")
  void putsTheRecordsCoordinatesAndTraceWhileOpen() {
    try (LogContext log =
        LogContext.of(record("orders", "0190a5f2-0000-7000-8000-000000000001"))
            .trace("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")) {
      assertThat(MDC.get(LogContext.MESSAGE_ID)).isEqualTo("0190a5f2-0000-7000-8000-000000000001");
      assertThat(MDC.get(LogContext.TOPIC)).isEqualTo("orders");
      assertThat(MDC.get(LogContext.PARTITION)).isEqualTo("3");
      assertThat(MDC.get(LogContext.OFFSET)).isEqualTo("42");
      assertThat(MDC.get(LogContext.TRACE_ID)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(MDC.get(LogContext.SPAN_ID)).isEqualTo("00f067aa0ba902b7");
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  @SuppressWarnings("try")
  void closingANestedContextPutsBackTheOuterOne() {
    MDC.put("request", "r-1");
    try (LogContext outer = LogContext.of(record("orders", "a"))) {
      try (LogContext inner = LogContext.of(record("orders.retry.1s", "b"))) {
        assertThat(MDC.get(LogContext.TOPIC)).isEqualTo("orders.retry.1s");
      }
      assertThat(MDC.get(LogContext.TOPIC)).isEqualTo("orders");
      assertThat(MDC.get(LogContext.MESSAGE_ID)).isEqualTo("a");
      assertThat(MDC.get(LogContext.TRACE_ID)).isNull();
    }
    assertThat(MDC.get(LogContext.TOPIC)).isNull();
    assertThat(MDC.get("request")).isEqualTo("r-1");
  }
}
