package dev.backstop.dlq;

import dev.backstop.dlq.internal.PayloadRenderer;

/**
 * A record key or value rendered for a person: pretty JSON when it parses, text when it is
 * printable UTF-8, hex otherwise. Immutable and thread-safe.
 *
 * @param kind how the bytes were rendered
 * @param text the rendering, cut to the requested size
 * @param size the size of the bytes in full
 * @param truncated whether {@code text} was cut
 */
public record Payload(Kind kind, String text, int size, boolean truncated) {

  /** How the bytes were rendered. */
  public enum Kind {
    /** No bytes at all (a tombstone or absent key). */
    NULL,
    /** Parsed as JSON; pretty-printed. */
    JSON,
    /** Printable UTF-8 text. */
    TEXT,
    /** Anything else, as lowercase hex. */
    HEX
  }

  /**
   * Renders {@code bytes}, cutting the rendering to at most {@code maxBytes} UTF-8 bytes.
   *
   * @throws InvalidInputException when {@code maxBytes} is below 1
   */
  public static Payload render(byte[] bytes, int maxBytes) {
    return PayloadRenderer.render(bytes, maxBytes);
  }
}
