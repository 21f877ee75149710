package dev.backstop.dlq.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Small text helpers for table output. */
final class Text {
  private Text() {}

  /** {@code text} on one line, cut to {@code max} characters with an ellipsis; "-" when null. */
  static String cell(String text, int max) {
    if (text == null || text.isEmpty()) {
      return "-";
    }
    String line = text.strip().replaceAll("\\s*\\R\\s*", " ⏎ ");
    return line.length() <= max ? line : line.substring(0, Math.max(0, max - 1)) + "…";
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
