package dev.backstop.core;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.MDC;

/**
 * SLF4J MDC entries for the log lines about one record: its message id, topic, partition and
 * offset, and, when it is traced, the trace and span ids. Open one on the thread that handles the
 * record and close it when done (try-with-resources); closing puts back what the keys held before,
 * so contexts nest. Not thread-safe: one thread, like the MDC itself.
 *
 * <pre>{@code
 * try (LogContext log = LogContext.of(record)) {
 *   LOG.info("handling"); // %X{backstop.message_id} %X{messaging.destination.name} ...
 * }
 * }</pre>
 */
public final class LogContext implements AutoCloseable {

  /** MDC key: {@code backstop.message-id} of the record. */
  public static final String MESSAGE_ID = "backstop.message_id";

  /** MDC key: the topic the record was consumed from. */
  public static final String TOPIC = "messaging.destination.name";

  /** MDC key: its partition. */
  public static final String PARTITION = "messaging.destination.partition.id";

  /** MDC key: its offset. */
  public static final String OFFSET = "messaging.kafka.offset";

  /** MDC key: the trace id of the span handling it (the OpenTelemetry agent's name too). */
  public static final String TRACE_ID = "trace_id";

  /** MDC key: the span id of the span handling it. */
  public static final String SPAN_ID = "span_id";

  private final Map<String, String> previous = new LinkedHashMap<>();
  private boolean closed;

  private LogContext() {}

  /** Puts the record's message id (when it has one), topic, partition and offset. */
  public static LogContext of(ConsumerRecord<?, ?> record) {
    LogContext context = new LogContext();
    MessageHeaders.string(record.headers(), BackstopHeaders.MESSAGE_ID)
        .toOptional()
        .ifPresent(id -> context.put(MESSAGE_ID, id));
    context.put(TOPIC, record.topic());
    context.put(PARTITION, Integer.toString(record.partition()));
    context.put(OFFSET, Long.toString(record.offset()));
    return context;
  }

  /** Adds the trace and span ids; a null or empty id is left out. */
  public LogContext trace(String traceId, String spanId) {
    if (traceId != null && !traceId.isEmpty()) {
      put(TRACE_ID, traceId);
      put(SPAN_ID, spanId);
    }
    return this;
  }

  private void put(String key, String value) {
    if (!previous.containsKey(key)) {
      previous.put(key, MDC.get(key));
    }
    MDC.put(key, value);
  }

  /** Puts back what each key held before; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    previous.forEach(
        (key, value) -> {
          if (value == null) {
            MDC.remove(key);
          } else {
            MDC.put(key, value);
          }
        });
  }
}
