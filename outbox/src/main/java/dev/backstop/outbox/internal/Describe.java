package dev.backstop.outbox.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Short human-readable forms of keys for error messages and logs. Stateless. */
final class Describe {

  private static final int MAX = 64;

  private Describe() {}

  /** The key as text when it is printable UTF-8, else as hex; capped; {@code null} for none. */
  public static String key(byte[] key) {
    if (key == null) {
      return "null";
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(key))
              .toString();
      if (text.chars().noneMatch(Character::isISOControl)) {
        return "'" + cap(text) + "'";
      }
    } catch (CharacterCodingException e) {
      // not text: fall through to hex
    }
    return "0x" + cap(HexFormat.of().formatHex(key));
  }

  private static String cap(String text) {
    return text.length() <= MAX ? text : text.substring(0, MAX) + "…";
  }
}
