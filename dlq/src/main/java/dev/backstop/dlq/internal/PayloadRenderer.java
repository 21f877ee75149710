package dev.backstop.dlq.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.Utf8Text;
import dev.backstop.dlq.InvalidInputException;
import dev.backstop.dlq.Payload;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Renders bytes as pretty JSON, text or hex. Stateless and thread-safe. */
public final class PayloadRenderer {
  private PayloadRenderer() {}

  /** See {@link Payload#render(byte[], int)}. */
  public static Payload render(byte[] bytes, int maxBytes) {
    if (maxBytes < 1) {
      throw new InvalidInputException(
          "Invalid value " + maxBytes + " for --max-bytes: must be at least 1");
    }
    if (bytes == null) {
      return new Payload(Payload.Kind.NULL, "(null)", 0, false);
    }
    String text = Utf8Text.decodeOrNull(bytes);
    if (text != null) {
      String json = prettyJson(text);
      if (json != null) {
        return cut(Payload.Kind.JSON, json, bytes.length, maxBytes);
      }
      if (Utf8Text.printable(text)) {
        return cut(Payload.Kind.TEXT, text, bytes.length, maxBytes);
      }
    }
    int shown = Math.min(bytes.length, Math.max(1, maxBytes / 2));
    String hex = HexFormat.of().formatHex(bytes, 0, shown);
    return new Payload(Payload.Kind.HEX, hex, bytes.length, shown < bytes.length);
  }

  private static String prettyJson(String text) {
    String trimmed = text.trim();
    if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) {
      return null; // bare numbers and strings read better as text
    }
    try {
      JsonNode node = Json.MAPPER.readTree(trimmed);
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static Payload cut(Payload.Kind kind, String text, int size, int maxBytes) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= maxBytes) {
      return new Payload(kind, text, size, false);
    }
    int end = maxBytes;
    while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
      end--; // never split a multi-byte character
    }
    return new Payload(kind, new String(utf8, 0, end, StandardCharsets.UTF_8), size, true);
  }
}
