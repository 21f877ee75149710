package dev.backstop.core;

import dev.backstop.core.internal.StackTraces;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Typed reading and writing of the {@link BackstopHeaders} contract on Kafka {@link Headers}.
 *
 * <p>Reading is tolerant: a missing or undecodable header gives a {@link HeaderValue} with a
 * problem, never an exception. When a name occurs more than once, the last value wins. Writing
 * replaces: every earlier header of the same name is removed first, so headers do not grow from hop
 * to hop.
 *
 * <p>Thread-safety: stateless; the {@code Headers} passed in are not thread-safe themselves.
 */
public final class MessageHeaders {
  private MessageHeaders() {}

  /** The last value of {@code name} as a UTF-8 string. */
  public static HeaderValue<String> string(Headers headers, String name) {
    return read(headers, name, Function.identity(), "");
  }

  /** The last value of {@code name} as a decimal long. */
  public static HeaderValue<Long> longValue(Headers headers, String name) {
    return read(headers, name, Long::valueOf, "not a number");
  }

  /** The last value of {@code name} as a decimal int. */
  public static HeaderValue<Integer> intValue(Headers headers, String name) {
    return read(headers, name, Integer::valueOf, "not a number");
  }

  /** The last value of {@code name} as an instant written in epoch milliseconds. */
  public static HeaderValue<Instant> instant(Headers headers, String name) {
    return read(headers, name, s -> Instant.ofEpochMilli(Long.parseLong(s)), "not a number");
  }

  /** The message id ({@link BackstopHeaders#MESSAGE_ID}). */
  public static HeaderValue<MessageId> messageId(Headers headers) {
    return read(headers, BackstopHeaders.MESSAGE_ID, MessageId::parse, "not a message id");
  }

  /** Replaces every header {@code name} with one holding {@code value} in UTF-8. */
  public static void set(Headers headers, String name, String value) {
    Objects.requireNonNull(value, () -> "value of header " + name);
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Replaces every header {@code name} with one holding {@code value} in decimal. */
  public static void setLong(Headers headers, String name, long value) {
    set(headers, name, Long.toString(value));
  }

  /** Replaces every header {@code name} with one holding {@code value} in epoch milliseconds. */
  public static void setInstant(Headers headers, String name, Instant value) {
    setLong(headers, name, value.toEpochMilli());
  }

  /**
   * Writes {@code name} only if no header of that name exists.
   *
   * @return true if the header was written
   */
  public static boolean setIfAbsent(Headers headers, String name, String value) {
    if (headers.lastHeader(name) != null) {
      return false;
    }
    set(headers, name, value);
    return true;
  }

  /**
   * Records a failure: error class, message and stack trace (both capped), fingerprint, {@link
   * BackstopHeaders#FAILED_AT}, and {@link BackstopHeaders#FIRST_FAILED_AT} if absent. The stack
   * trace shows every cause with at most 24 frames each, so the root cause survives the cap.
   */
  public static void setError(Headers headers, Throwable error, Instant failedAt) {
    String message = error.getMessage() == null ? "" : error.getMessage();
    set(headers, BackstopHeaders.ERROR_CLASS, error.getClass().getName());
    set(
        headers,
        BackstopHeaders.ERROR_MESSAGE,
        capUtf8(message, BackstopHeaders.MAX_ERROR_MESSAGE_BYTES));
    set(
        headers,
        BackstopHeaders.ERROR_STACKTRACE,
        capUtf8(StackTraces.render(error), BackstopHeaders.MAX_STACKTRACE_BYTES));
    set(headers, BackstopHeaders.ERROR_FINGERPRINT, ErrorFingerprint.of(error));
    setInstant(headers, BackstopHeaders.FAILED_AT, failedAt);
    setIfAbsent(headers, BackstopHeaders.FIRST_FAILED_AT, Long.toString(failedAt.toEpochMilli()));
  }

  /**
   * Returns {@code s} unchanged if its UTF-8 form fits {@code maxBytes}, otherwise the longest
   * prefix that fits with the marker {@code …[truncated]}; a character is never split.
   */
  public static String capUtf8(String s, int maxBytes) {
    return Utf8Text.cap(s, maxBytes);
  }

  /** Bytes of all header keys (UTF-8) and values; the record-size cost of the headers. */
  public static int totalSize(Headers headers) {
    int size = 0;
    for (Header header : headers) {
      size += header.key().getBytes(StandardCharsets.UTF_8).length;
      size += header.value() == null ? 0 : header.value().length;
    }
    return size;
  }

  private static <T> HeaderValue<T> read(
      Headers headers, String name, Function<String, T> decode, String reason) {
    Header header = headers.lastHeader(name);
    if (header == null) {
      return HeaderValue.missing(name);
    }
    byte[] raw = header.value();
    if (raw == null) {
      return HeaderValue.corrupt(name, null, "no value");
    }
    String text = Utf8Text.decodeOrNull(raw);
    if (text == null) {
      return HeaderValue.corrupt(name, raw, "not valid UTF-8");
    }
    try {
      return new HeaderValue<>(decode.apply(text), null, name);
    } catch (RuntimeException e) {
      return HeaderValue.corrupt(name, raw, reason);
    }
  }
}
