package dev.backstop.dlq;

/**
 * Text from a record made safe to print on a terminal. Keys, headers, topic names from headers and
 * error messages come from producers and from exception texts that quote record content; printed as
 * they are, an ESC sequence can clear the screen, move the cursor or recolour what follows, and a
 * carriage return can overwrite a line. Every C0 control character, DEL, every C1 control character
 * and the bidirectional overrides and isolates are written as a visible {@code \}{@code uXXXX}
 * escape instead (ESC becomes {@code \}{@code u001b}); everything else, backslashes included, is
 * kept. The JSON output and {@code export} keep the exact text through JSON escaping. Stateless and
 * thread-safe.
 */
public final class TerminalText {
  private TerminalText() {}

  /** {@code text} on one line with every unsafe character escaped; {@code null} stays null. */
  public static String escape(String text) {
    return escape(text, false);
  }

  /**
   * {@code text} with its line breaks ({@code \n} and {@code \r\n}) and tabs kept and every other
   * unsafe character escaped, for multi-line views such as a stack trace or a payload.
   */
  public static String escapeKeepingLines(String text) {
    return text == null ? null : escape(text.replace("\r\n", "\n"), true);
  }

  /**
   * Whether a terminal could act on {@code c}: C0 controls, DEL, C1 controls, and the bidirectional
   * formatting characters that reorder what is shown.
   */
  public static boolean unsafe(int c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == 0x061c
        || c == 0x200e
        || c == 0x200f
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }

  private static String escape(String text, boolean keepLines) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean kept = keepLines && (c == '\n' || c == '\t');
      if (unsafe(c) && !kept) {
        if (out == null) {
          out = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        out.append(String.format("\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }
}
