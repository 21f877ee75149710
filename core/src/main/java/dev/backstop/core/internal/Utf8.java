package dev.backstop.core.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding and byte-capped truncation.
 *
 * <p>Thread-safety: stateless.
 */
public final class Utf8 {
  /** Appended to a value that was cut to fit its byte cap. */
  public static final String TRUNCATED_MARKER = "…[truncated]";

  private static final int MARKER_BYTES = TRUNCATED_MARKER.getBytes(StandardCharsets.UTF_8).length;

  private Utf8() {}

  /** Decodes {@code bytes}, or returns null when they are not valid UTF-8. */
  public static String decodeOrNull(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Returns {@code s} if its UTF-8 form fits in {@code maxBytes}; otherwise the longest prefix that
   * fits together with {@link #TRUNCATED_MARKER}, never splitting a character.
   */
  public static String cap(String s, int maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be at least 0, was " + maxBytes);
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return s;
    }
    boolean withMarker = maxBytes >= MARKER_BYTES;
    int end = boundaryAtOrBefore(bytes, withMarker ? maxBytes - MARKER_BYTES : maxBytes);
    String prefix = new String(bytes, 0, end, StandardCharsets.UTF_8);
    return withMarker ? prefix + TRUNCATED_MARKER : prefix;
  }

  private static int boundaryAtOrBefore(byte[] bytes, int limit) {
    int end = limit;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return end;
  }
}
