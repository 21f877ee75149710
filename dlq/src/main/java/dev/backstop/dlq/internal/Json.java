package dev.backstop.dlq.internal;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.backstop.dlq.TerminalText;

/** The one JSON mapper of the module. Thread-safe once built. */
public final class Json {
  private Json() {}

  /**
   * Strict on input: trailing tokens and duplicate keys fail. On output, every character a terminal
   * could act on (C0 controls, DEL, C1 controls, bidirectional overrides) is written as a {@code
   * \}{@code uXXXX} escape, so JSON lines printed to a terminal cannot drive it, and a JSON reader
   * gets the exact text back.
   */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder(new JsonFactoryBuilder().characterEscapes(new TerminalEscapes()).build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /** Jackson's standard escapes plus every {@link TerminalText#unsafe} character. */
  private static final class TerminalEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    TerminalEscapes() {
      ascii = standardAsciiEscapesForJSON();
      ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return TerminalText.unsafe(ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
  }
}
