package dev.backstop.core;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Bytes as text: strict UTF-8 decoding, printable checks, byte-capped truncation and a short
 * quoted-or-hex form for messages.
 *
 * <p>Thread-safety: stateless.
 */
public final class Utf8Text {
  /** Appended to a value that {@link #cap} cut to fit its byte cap. */
  public static final String TRUNCATED_MARKER = "…[truncated]";

  /** How many characters {@link #quotedOrHex} shows before it cuts. */
  public static final int QUOTED_MAX_CHARS = 64;

  private static final int MARKER_BYTES = TRUNCATED_MARKER.getBytes(StandardCharsets.UTF_8).length;

  private Utf8Text() {}

  /** Decodes {@code bytes}, or returns null when they are not valid UTF-8. */
  public static String decodeOrNull(byte[] bytes) {
    if (ascii(bytes)) {
      return new String(bytes, StandardCharsets.US_ASCII);
    }
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

  /** Whether {@code text} has no control characters other than tab, CR and LF. */
  public static boolean printable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code text} has no control characters at all, so it stays on one line. */
  public static boolean printableLine(String text) {
    return text.chars().noneMatch(Character::isISOControl);
  }

  /**
   * A short form of {@code bytes} for error messages and logs: {@code 'text'} when they are UTF-8
   * that {@linkplain #printableLine stays on one line}, else {@code 0x} and lowercase hex; either
   * cut to {@link #QUOTED_MAX_CHARS} characters plus {@code …}; {@code null} for null.
   */
  public static String quotedOrHex(byte[] bytes) {
    if (bytes == null) {
      return "null";
    }
    String text = decodeOrNull(bytes);
    if (text != null && printableLine(text)) {
      return "'" + cut(text, QUOTED_MAX_CHARS) + "'";
    }
    return "0x" + cut(HexFormat.of().formatHex(bytes), QUOTED_MAX_CHARS);
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

  private static boolean ascii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  private static String cut(String text, int maxChars) {
    return text.length() <= maxChars ? text : text.substring(0, maxChars) + "…";
  }

  private static int boundaryAtOrBefore(byte[] bytes, int limit) {
    int end = limit;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return end;
  }
}
