package dev.backstop.core;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of Backstop configuration and topic names: a whole number followed by a unit,
 * {@code 250ms}, {@code 1s}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}.
 *
 * <p>Thread-safety: stateless.
 */
public final class Durations {
  /** The rule a duration must follow, as shown in error messages. */
  public static final String RULE =
      "must be a duration: a whole number followed by ms, s, m, h or d, like 250ms, 1s, 30s, 10m,"
          + " 2h or 1d";

  private static final Pattern SYNTAX = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");
  private static final Map<String, ChronoUnit> UNITS =
      Map.of(
          "ms", ChronoUnit.MILLIS,
          "s", ChronoUnit.SECONDS,
          "m", ChronoUnit.MINUTES,
          "h", ChronoUnit.HOURS,
          "d", ChronoUnit.DAYS);
  private static final List<Map.Entry<String, Duration>> LARGEST_FIRST =
      List.of(
          Map.entry("d", Duration.ofDays(1)),
          Map.entry("h", Duration.ofHours(1)),
          Map.entry("m", Duration.ofMinutes(1)),
          Map.entry("s", Duration.ofSeconds(1)));

  private Durations() {}

  /**
   * Parses {@code text} (surrounding blanks ignored).
   *
   * @throws IllegalArgumentException naming the text and the rule
   */
  public static Duration parse(String text) {
    Duration parsed = parseOrNull(text);
    if (parsed == null) {
      throw new IllegalArgumentException("Invalid duration '" + text + "': " + RULE);
    }
    return parsed;
  }

  /**
   * The shortest exact form: {@code 1s}, {@code 30s}, {@code 10m}, {@code 1500ms}; zero is {@code
   * 0s}.
   *
   * @throws IllegalArgumentException for negative durations or ones finer than a millisecond
   */
  public static String format(Duration duration) {
    if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          "Cannot format " + duration + ": must be zero or positive whole milliseconds");
    }
    if (duration.isZero()) {
      return "0s";
    }
    for (Map.Entry<String, Duration> unit : LARGEST_FIRST) {
      if (duration.toMillis() % unit.getValue().toMillis() == 0) {
        return duration.toMillis() / unit.getValue().toMillis() + unit.getKey();
      }
    }
    return duration.toMillis() + "ms";
  }

  /** Parses {@code text}, or returns null when it does not follow {@link #RULE}. */
  static Duration parseOrNull(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = SYNTAX.matcher(text.strip());
    if (!m.matches()) {
      return null;
    }
    try {
      Duration d = Duration.of(Long.parseLong(m.group(1)), UNITS.get(m.group(2)));
      d.toMillis(); // rejects durations beyond what millisecond arithmetic can hold
      return d;
    } catch (ArithmeticException e) {
      return null;
    }
  }
}
