package dev.backstop.idempotency.internal;

import java.util.List;

/** Writes a list of strings as a JSON array without a JSON library. Stateless. */
final class JsonText {
  private JsonText() {}

  static String array(List<String> values) {
    StringBuilder out = new StringBuilder(values.size() * 40).append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      appendString(out, values.get(i));
    }
    return out.append(']').toString();
  }

  private static void appendString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
