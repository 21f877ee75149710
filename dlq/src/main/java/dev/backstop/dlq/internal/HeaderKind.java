package dev.backstop.dlq.internal;

import dev.backstop.core.Utf8Text;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * How a header's bytes are encoded, and how to decode them into a value and a display text.
 * Decoding never throws: a value that does not fit its kind yields a problem and a {@code hex:}
 * display.
 */
enum HeaderKind {
  /** UTF-8 text. */
  TEXT,
  /** A decimal number as UTF-8 text (Backstop, Connect). */
  DECIMAL,
  /** Epoch milliseconds as decimal UTF-8 text (Backstop). */
  DECIMAL_MILLIS,
  /** A 4-byte big-endian int (Spring Kafka); one byte is accepted for old retry-topic attempts. */
  INT32,
  /** An 8-byte big-endian long (Spring Kafka). */
  INT64,
  /** Epoch milliseconds as an 8-byte big-endian long (Spring Kafka). */
  INT64_MILLIS,
  /** Epoch milliseconds as {@code BigInteger.toByteArray()} (Spring retry topics). */
  BIGINT_MILLIS;

  /** A decoded value: {@code value} is a String, Long or Instant, or null with a problem. */
  record Decoded(Object value, String problem) {}

  Decoded decode(byte[] raw) {
    if (raw == null) {
      return new Decoded(null, null);
    }
    return switch (this) {
      case TEXT -> text(raw);
      case DECIMAL, DECIMAL_MILLIS -> decimal(raw);
      case INT32 -> fixed(raw, raw.length == 1 ? 1 : Integer.BYTES);
      case INT64, INT64_MILLIS -> fixed(raw, Long.BYTES);
      case BIGINT_MILLIS -> bigint(raw);
    };
  }

  private Decoded text(byte[] raw) {
    String text = Utf8Text.decodeOrNull(raw);
    return text == null ? corrupt(raw, "not valid UTF-8") : new Decoded(text, null);
  }

  private Decoded decimal(byte[] raw) {
    String text = Utf8Text.decodeOrNull(raw);
    try {
      return number(Long.parseLong(text == null ? "" : text.trim()));
    } catch (NumberFormatException e) {
      return corrupt(raw, "not a decimal number");
    }
  }

  private Decoded fixed(byte[] raw, int width) {
    if (raw.length != width) {
      return corrupt(raw, "expected " + width + " bytes, found " + raw.length);
    }
    long value =
        switch (width) {
          case 1 -> raw[0];
          case Integer.BYTES -> ByteBuffer.wrap(raw).getInt();
          default -> ByteBuffer.wrap(raw).getLong();
        };
    return number(value);
  }

  private Decoded bigint(byte[] raw) {
    if (raw.length == 0 || raw.length > Long.BYTES) {
      return corrupt(raw, "expected 1 to 8 bytes, found " + raw.length);
    }
    return number(new BigInteger(raw).longValue());
  }

  private Decoded number(long value) {
    if (this == DECIMAL_MILLIS || this == INT64_MILLIS || this == BIGINT_MILLIS) {
      return new Decoded(Instant.ofEpochMilli(value), null);
    }
    return new Decoded(value, null);
  }

  private Decoded corrupt(byte[] raw, String reason) {
    return new Decoded(null, kindName() + ": " + reason);
  }

  private String kindName() {
    return switch (this) {
      case TEXT -> "text";
      case DECIMAL, DECIMAL_MILLIS -> "decimal text";
      case INT32 -> "binary int";
      case INT64, INT64_MILLIS -> "binary long";
      case BIGINT_MILLIS -> "binary big integer";
    };
  }
}
