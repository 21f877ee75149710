package dev.backstop.dlq.internal;

import static dev.backstop.dlq.internal.ForeignHeaders.*;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.dlq.DeadLetter;
import dev.backstop.dlq.DeadLetterSource;
import dev.backstop.dlq.DecodedHeader;
import dev.backstop.dlq.FailureInfo;
import dev.backstop.dlq.RecordAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Decodes a dead-letter record: every header by its known kind (or raw), and the failure context
 * from Backstop's, Spring Kafka's or Kafka Connect's headers. Never throws on header content.
 * Stateless and thread-safe.
 */
public final class DeadLetterDecoder {
  private static final Map<String, HeaderKind> KINDS = kinds();

  private DeadLetterDecoder() {}

  /** Decodes {@code record}; undecodable headers are kept raw with a problem. */
  public static DeadLetter decode(ConsumerRecord<byte[], byte[]> record) {
    List<DecodedHeader> headers = new ArrayList<>();
    Map<String, Object> values = new HashMap<>();
    for (Header header : record.headers()) {
      HeaderKind kind = KINDS.get(header.key());
      if (kind == null) {
        headers.add(new DecodedHeader(header.key(), header.value(), null, null));
        continue;
      }
      HeaderKind.Decoded decoded = kind.decode(header.value());
      headers.add(
          new DecodedHeader(header.key(), header.value(), decoded.value(), decoded.problem()));
      values.put(header.key(), decoded.value() == null ? Absent.CORRUPT : decoded.value());
    }
    return new DeadLetter(
        new RecordAddress(record.topic(), record.partition(), record.offset()),
        Instant.ofEpochMilli(Math.max(0, record.timestamp())),
        record.key(),
        record.value(),
        headers,
        failure(new Values(values)));
  }

  private enum Absent {
    CORRUPT
  }

  /** The last decoded value per header name; absent or corrupt values read as {@code null}. */
  private record Values(Map<String, Object> byName) {
    boolean has(String name) {
      return byName.containsKey(name);
    }

    String text(String name) {
      return byName.get(name) instanceof String s ? s : null;
    }

    Long number(String name) {
      return byName.get(name) instanceof Long l ? l : null;
    }

    Integer integer(String name) {
      Long value = number(name);
      return value == null || value != value.intValue() ? null : value.intValue();
    }

    Instant instant(String name) {
      return byName.get(name) instanceof Instant i ? i : null;
    }
  }

  private static FailureInfo failure(Values v) {
    DeadLetterSource source = source(v);
    return switch (source) {
      case BACKSTOP ->
          failure(
              v,
              source,
              BackstopHeaders.ORIGINAL_TOPIC,
              BackstopHeaders.ORIGINAL_PARTITION,
              BackstopHeaders.ORIGINAL_OFFSET,
              v.instant(BackstopHeaders.ORIGINAL_TIMESTAMP),
              v.text(BackstopHeaders.CONSUMER_GROUP),
              ErrorPart.of(
                  v.text(BackstopHeaders.ERROR_CLASS),
                  null,
                  v.text(BackstopHeaders.ERROR_MESSAGE),
                  v.text(BackstopHeaders.ERROR_STACKTRACE),
                  v.text(BackstopHeaders.ERROR_FINGERPRINT)),
              v.integer(BackstopHeaders.ATTEMPT));
      case SPRING_KAFKA ->
          failure(
              v,
              source,
              DLT_ORIGINAL_TOPIC,
              DLT_ORIGINAL_PARTITION,
              DLT_ORIGINAL_OFFSET,
              v.instant(DLT_ORIGINAL_TIMESTAMP),
              v.text(DLT_ORIGINAL_CONSUMER_GROUP),
              ErrorPart.of(
                  firstText(v, DLT_EXCEPTION_FQCN, DLT_KEY_EXCEPTION_FQCN),
                  v.text(DLT_EXCEPTION_CAUSE_FQCN),
                  firstText(v, DLT_EXCEPTION_MESSAGE, DLT_KEY_EXCEPTION_MESSAGE),
                  firstText(v, DLT_EXCEPTION_STACKTRACE, DLT_KEY_EXCEPTION_STACKTRACE),
                  null),
              v.integer(RETRY_ATTEMPTS));
      case SPRING_RETRY_TOPIC ->
          failure(
              v,
              source,
              ORIGINAL_TOPIC,
              ORIGINAL_PARTITION,
              ORIGINAL_OFFSET,
              v.instant(ORIGINAL_TIMESTAMP),
              v.text(DLT_ORIGINAL_CONSUMER_GROUP),
              ErrorPart.of(
                  v.text(EXCEPTION_FQCN),
                  v.text(EXCEPTION_CAUSE_FQCN),
                  v.text(EXCEPTION_MESSAGE),
                  v.text(EXCEPTION_STACKTRACE),
                  null),
              v.integer(RETRY_ATTEMPTS));
      case KAFKA_CONNECT ->
          failure(
              v,
              source,
              CONNECT_TOPIC,
              CONNECT_PARTITION,
              CONNECT_OFFSET,
              null,
              null,
              ErrorPart.of(
                  v.text(CONNECT_EXCEPTION),
                  null,
                  v.text(CONNECT_EXCEPTION_MESSAGE),
                  v.text(CONNECT_EXCEPTION_STACKTRACE),
                  null),
              null);
      case UNKNOWN ->
          failure(
              v,
              source,
              null,
              null,
              null,
              null,
              null,
              ErrorPart.of(null, null, null, null, null),
              null);
    };
  }

  /** The error of a failure, with its root cause and fingerprint worked out. */
  private record ErrorPart(
      String errorClass, String rootCause, String message, String stacktrace, String fingerprint) {

    /**
     * The root cause is the last {@code Caused by:} of the stack trace, else the recorded cause,
     * else the error class; the fingerprint the recorded one, else computed from the trace.
     */
    static ErrorPart of(
        String errorClass,
        String causeClass,
        String message,
        String stacktrace,
        String fingerprint) {
      StackTraceText trace = StackTraceText.parse(stacktrace);
      String root = trace.rootCause();
      if (root == null) {
        root = causeClass != null ? causeClass : errorClass;
      }
      return new ErrorPart(
          errorClass,
          root,
          message,
          stacktrace,
          fingerprint != null ? fingerprint : trace.fingerprint());
    }
  }

  /** One convention's failure: where it came from, who failed it, and why. */
  private static FailureInfo failure(
      Values v,
      DeadLetterSource source,
      String topicHeader,
      String partitionHeader,
      String offsetHeader,
      Instant originalTimestamp,
      String consumerGroup,
      ErrorPart error,
      Integer attempt) {
    boolean ours = source == DeadLetterSource.BACKSTOP;
    Integer replays = v.integer(BackstopHeaders.REPLAY_COUNT);
    return new FailureInfo(
        source,
        topicHeader == null ? null : v.text(topicHeader),
        partitionHeader == null ? null : v.integer(partitionHeader),
        offsetHeader == null ? null : v.number(offsetHeader),
        originalTimestamp,
        consumerGroup,
        error.errorClass(),
        error.rootCause(),
        error.message(),
        error.stacktrace(),
        error.fingerprint(),
        v.text(BackstopHeaders.MESSAGE_ID),
        ours ? v.instant(BackstopHeaders.FIRST_FAILED_AT) : null,
        ours ? v.instant(BackstopHeaders.FAILED_AT) : null,
        attempt,
        replays == null ? 0 : replays,
        v.instant(BackstopHeaders.REPLAYED_AT));
  }

  private static DeadLetterSource source(Values v) {
    if (v.has(BackstopHeaders.ERROR_CLASS) || v.has(BackstopHeaders.ORIGINAL_TOPIC)) {
      return DeadLetterSource.BACKSTOP;
    }
    if (v.has(DLT_EXCEPTION_FQCN) || v.has(DLT_ORIGINAL_TOPIC) || v.has(DLT_KEY_EXCEPTION_FQCN)) {
      return DeadLetterSource.SPRING_KAFKA;
    }
    if (v.has(EXCEPTION_FQCN) || v.has(ORIGINAL_TOPIC)) {
      return DeadLetterSource.SPRING_RETRY_TOPIC;
    }
    if (v.has(CONNECT_EXCEPTION) || v.has(CONNECT_TOPIC)) {
      return DeadLetterSource.KAFKA_CONNECT;
    }
    return DeadLetterSource.UNKNOWN;
  }

  private static String firstText(Values v, String name, String fallback) {
    String text = v.text(name);
    return text != null ? text : v.text(fallback);
  }

  private static Map<String, HeaderKind> kinds() {
    Map<String, HeaderKind> kinds = new HashMap<>();
    put(
        kinds,
        HeaderKind.TEXT,
        BackstopHeaders.MESSAGE_ID,
        BackstopHeaders.ORIGINAL_TOPIC,
        BackstopHeaders.CONSUMER_GROUP,
        BackstopHeaders.ERROR_CLASS,
        BackstopHeaders.ERROR_MESSAGE,
        BackstopHeaders.ERROR_STACKTRACE,
        BackstopHeaders.ERROR_FINGERPRINT,
        BackstopHeaders.RETRY_TIER,
        BackstopHeaders.TRACEPARENT,
        BackstopHeaders.TRACESTATE,
        DLT_ORIGINAL_TOPIC,
        DLT_ORIGINAL_TIMESTAMP_TYPE,
        DLT_ORIGINAL_CONSUMER_GROUP,
        DLT_EXCEPTION_FQCN,
        DLT_EXCEPTION_CAUSE_FQCN,
        DLT_EXCEPTION_MESSAGE,
        DLT_EXCEPTION_STACKTRACE,
        DLT_KEY_EXCEPTION_FQCN,
        DLT_KEY_EXCEPTION_MESSAGE,
        DLT_KEY_EXCEPTION_STACKTRACE,
        ORIGINAL_TOPIC,
        ORIGINAL_TIMESTAMP_TYPE,
        EXCEPTION_FQCN,
        EXCEPTION_CAUSE_FQCN,
        EXCEPTION_MESSAGE,
        EXCEPTION_STACKTRACE,
        CONNECT_TOPIC,
        CONNECT_CONNECTOR,
        CONNECT_STAGE,
        CONNECT_EXECUTING_CLASS,
        CONNECT_EXCEPTION,
        CONNECT_EXCEPTION_MESSAGE,
        CONNECT_EXCEPTION_STACKTRACE);
    put(
        kinds,
        HeaderKind.DECIMAL,
        BackstopHeaders.ATTEMPT,
        BackstopHeaders.ORIGINAL_PARTITION,
        BackstopHeaders.ORIGINAL_OFFSET,
        BackstopHeaders.REPLAY_COUNT,
        CONNECT_PARTITION,
        CONNECT_OFFSET,
        CONNECT_TASK);
    put(
        kinds,
        HeaderKind.DECIMAL_MILLIS,
        BackstopHeaders.CREATED_AT,
        BackstopHeaders.ORIGINAL_TIMESTAMP,
        BackstopHeaders.FIRST_FAILED_AT,
        BackstopHeaders.FAILED_AT,
        BackstopHeaders.RETRY_DUE_AT,
        BackstopHeaders.REPLAYED_AT);
    put(kinds, HeaderKind.INT32, DLT_ORIGINAL_PARTITION, ORIGINAL_PARTITION, RETRY_ATTEMPTS);
    put(kinds, HeaderKind.INT64, DLT_ORIGINAL_OFFSET, ORIGINAL_OFFSET);
    put(kinds, HeaderKind.INT64_MILLIS, DLT_ORIGINAL_TIMESTAMP, ORIGINAL_TIMESTAMP);
    put(kinds, HeaderKind.BIGINT_MILLIS, RETRY_BACKOFF_TIMESTAMP, RETRY_ORIGINAL_TIMESTAMP);
    return Map.copyOf(kinds);
  }

  private static void put(Map<String, HeaderKind> kinds, HeaderKind kind, String... names) {
    for (String name : names) {
      kinds.put(name, kind);
    }
  }
}
