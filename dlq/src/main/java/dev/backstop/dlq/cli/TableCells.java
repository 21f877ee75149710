package dev.backstop.dlq.cli;

import dev.backstop.dlq.TerminalText;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Small text helpers for human-readable output. Every value that comes from a record goes through
 * {@link #cell} or {@link #safe}, so no control character reaches the terminal raw.
 */
final class TableCells {
  private TableCells() {}

  /**
   * {@code text} on one line (line breaks shown as ⏎, other control characters escaped), cut to
   * {@code max} characters with an ellipsis; "-" when null.
   */
  static String cell(String text, int max) {
    if (text == null || text.isEmpty()) {
      return "-";
    }
    String trimmed = text.replaceAll("^(?:[ \\t]|\\r?\\n)+|(?:[ \\t]|\\r?\\n)+$", "");
    if (trimmed.isEmpty()) {
      return "-";
    }
    String line = TerminalText.escape(trimmed.replaceAll("[ \\t]*\\r?\\n[ \\t]*", " ⏎ "));
    return line.length() <= max ? line : line.substring(0, Math.max(0, max - 1)) + "…";
  }

  /** {@code text} with every control character escaped; "-" when null. */
  static String safe(String text) {
    return text == null ? "-" : TerminalText.escape(text);
  }

  /** The simple name of a class name. */
  static String simpleName(String className) {
    return className == null ? null : className.substring(className.lastIndexOf('.') + 1);
  }

  /** An instant to the second, or "-". */
  static String time(Instant instant) {
    return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Left-aligns {@code text} in {@code width} columns. */
  static String pad(String text, int width) {
    return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
  }
}
