package dev.backstop.core;

import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of reading one header: either a value, or a problem that says why there is none
 * ({@code missing}, or {@code corrupt: not a number: 'abc'}). Reading a header never throws; the
 * caller decides what an absent value means.
 *
 * <p>Thread-safety: immutable if {@code T} is.
 *
 * @param value the decoded value, or null when absent
 * @param problem why the value is absent, or null when present
 * @param name the header name
 * @param <T> decoded type
 */
public record HeaderValue<T>(T value, String problem, String name) {
  private static final int SHOWN_CHARS = 64;
  private static final int SHOWN_BYTES = 32;

  /** Checks that exactly one of value and problem is given. */
  public HeaderValue {
    if ((value == null) == (problem == null)) {
      throw new IllegalArgumentException("exactly one of value and problem must be given");
    }
  }

  /** A header that was read and decoded. */
  public static <T> HeaderValue<T> present(T value) {
    return new HeaderValue<>(Objects.requireNonNull(value, "value"), null, null);
  }

  /** A header that is not there; the problem reads {@code missing}. */
  public static <T> HeaderValue<T> missing(String name) {
    return new HeaderValue<>(null, "missing", name);
  }

  /**
   * A header whose bytes cannot be decoded. The problem reads {@code corrupt: REASON: 'TEXT'}, or
   * shows the bytes in hex when they are not UTF-8.
   */
  public static <T> HeaderValue<T> corrupt(String name, byte[] rawBytes, String reason) {
    return new HeaderValue<>(null, "corrupt: " + reason + ": " + show(rawBytes), name);
  }

  /** True when a value was decoded. */
  public boolean isPresent() {
    return problem == null;
  }

  /** The value, or {@code fallback} when absent. */
  public T orElse(T fallback) {
    return isPresent() ? value : fallback;
  }

  /** The value as an Optional. */
  public Optional<T> toOptional() {
    return Optional.ofNullable(value);
  }

  private static String show(byte[] raw) {
    if (raw == null) {
      return "null";
    }
    String text = Utf8Text.decodeOrNull(raw);
    if (text == null) {
      int n = Math.min(raw.length, SHOWN_BYTES);
      return "0x" + HexFormat.of().formatHex(raw, 0, n) + (n < raw.length ? "..." : "");
    }
    return "'"
        + (text.length() > SHOWN_CHARS ? text.substring(0, SHOWN_CHARS) + "..." : text)
        + "'";
  }
}
