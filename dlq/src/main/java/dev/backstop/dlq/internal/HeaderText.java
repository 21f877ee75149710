package dev.backstop.dlq.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Header and payload bytes as text: strict UTF-8, printable checks, hex. Stateless, thread-safe.
 */
public final class HeaderText {
  private static final HexFormat HEX = HexFormat.of();

  private HeaderText() {}

  /** {@code hex:} and the bytes in lowercase hex. */
  public static String hex(byte[] raw) {
    return raw == null ? "(null)" : "hex:" + HEX.formatHex(raw);
  }

  /** Shows bytes of an unknown header: as text when they are printable UTF-8, else as hex. */
  public static String raw(byte[] raw) {
    if (raw == null) {
      return "(null)";
    }
    String text = utf8(raw);
    return text != null && printable(text) ? text : hex(raw);
  }

  /** Strict UTF-8 decoding: {@code null} when the bytes are not valid UTF-8. */
  public static String utf8(byte[] raw) {
    if (ascii(raw)) {
      return new String(raw, StandardCharsets.US_ASCII);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean ascii(byte[] raw) {
    for (byte b : raw) {
      if (b < 0) {
        return false;
      }
    }
    return true;
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
}
