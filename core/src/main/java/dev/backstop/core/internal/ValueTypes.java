package dev.backstop.core.internal;

import dev.backstop.core.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parsing, rendering and range rules of the configuration value types.
 *
 * <p>Thread-safety: immutable.
 */
public final class ValueTypes {
  private static final Pattern DECIMAL_SYNTAX =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  /** What a list item (or a single value) is, for range rules. */
  enum Element {
    NUMBER,
    DURATION,
    OTHER
  }

  /** A rule on a value and the text shown when it is broken. */
  public record Constraint<T>(Predicate<T> test, String rule) {}

  /** One value type. Parsers throw IllegalArgumentException whose message is the rule. */
  public record Type<T>(
      String label,
      Element element,
      Function<String, T> parser,
      Function<T, String> renderer,
      boolean isList) {

    /** Parses stripped text. */
    public T parse(String text) {
      return parser.apply(text);
    }

    /** Renders a value as configuration text. */
    public String render(T value) {
      return renderer.apply(value);
    }

    /** Every item (each value of a list) is at least {@code min}. */
    public Constraint<T> atLeast(Number min, String key) {
      requireElement(Element.NUMBER, "atLeast(Number)", key);
      return each(v -> compare((Number) v, min) >= 0, itemRule("must be at least " + min));
    }

    /** Every item is at least {@code min}. */
    public Constraint<T> atLeast(Duration min, String key) {
      requireElement(Element.DURATION, "atLeast(Duration)", key);
      return each(
          v -> ((Duration) v).compareTo(min) >= 0, itemRule("must be at least " + show(min)));
    }

    /** Every item is within {@code [lo, hi]}. */
    public Constraint<T> between(Number lo, Number hi, String key) {
      requireElement(Element.NUMBER, "between(Number, Number)", key);
      return each(
          v -> compare((Number) v, lo) >= 0 && compare((Number) v, hi) <= 0,
          itemRule("must be between " + lo + " and " + hi));
    }

    /** Every item is within {@code [lo, hi]}. */
    public Constraint<T> between(Duration lo, Duration hi, String key) {
      requireElement(Element.DURATION, "between(Duration, Duration)", key);
      return each(
          v -> ((Duration) v).compareTo(lo) >= 0 && ((Duration) v).compareTo(hi) <= 0,
          itemRule("must be between " + show(lo) + " and " + show(hi)));
    }

    /** The text of every item matches {@code pattern}. */
    public Constraint<T> matching(Pattern pattern, String rule) {
      return each(v -> pattern.matcher(itemText(v)).matches(), rule);
    }

    private Constraint<T> each(Predicate<Object> test, String rule) {
      return new Constraint<>(v -> items(v).stream().allMatch(test), rule);
    }

    private String itemRule(String rule) {
      return isList ? "every item " + rule : rule;
    }

    private List<?> items(T value) {
      return isList ? (List<?>) value : List.of(value);
    }

    private void requireElement(Element wanted, String rule, String key) {
      if (element != wanted) {
        throw new IllegalArgumentException(rule + " does not apply to " + label + " key " + key);
      }
    }
  }

  /** Duration like 30s. */
  public static final Type<Duration> DURATION =
      single("duration", Element.DURATION, ValueTypes::duration, ValueTypes::show);

  /** Decimal int. */
  public static final Type<Integer> INTEGER =
      single("integer", Element.NUMBER, s -> integer(s, Integer::valueOf), String::valueOf);

  /** Decimal long. */
  public static final Type<Long> LONG =
      single("long", Element.NUMBER, s -> integer(s, Long::valueOf), String::valueOf);

  /** Finite decimal number. */
  public static final Type<Double> DECIMAL =
      single("decimal", Element.NUMBER, ValueTypes::decimal, String::valueOf);

  /** true or false. */
  public static final Type<Boolean> BOOLEAN =
      single("boolean", Element.OTHER, ValueTypes::bool, String::valueOf);

  /** Text. */
  public static final Type<String> STRING =
      single("string", Element.OTHER, Function.identity(), Function.identity());

  /** Comma-separated text items. */
  public static final Type<List<String>> LIST =
      list("list", Element.OTHER, Function.identity(), Function.identity());

  /** Comma-separated durations. */
  public static final Type<List<Duration>> DURATION_LIST =
      list("duration list", Element.DURATION, ValueTypes::durationItem, ValueTypes::show);

  private ValueTypes() {}

  private static <T> Type<T> single(
      String label, Element element, Function<String, T> parser, Function<T, String> renderer) {
    return new Type<>(label, element, parser, renderer, false);
  }

  private static <E> Type<List<E>> list(
      String label, Element element, Function<String, E> item, Function<E, String> renderer) {
    return new Type<>(
        label,
        element,
        s -> split(s).stream().map(item).collect(Collectors.toUnmodifiableList()),
        v -> v.stream().map(renderer).collect(Collectors.joining(",")),
        true);
  }

  private static List<String> split(String text) {
    return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static Duration duration(String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(Durations.RULE);
    }
  }

  private static Duration durationItem(String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "must be a comma-separated list of durations like 1s,30s,10m; '"
              + text
              + "' is not a duration (a whole number followed by ms, s, m, h or d)");
    }
  }

  private static <N extends Number> N integer(String text, Function<String, N> parser) {
    try {
      return parser.apply(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a whole number");
    }
  }

  private static Double decimal(String text) {
    if (!DECIMAL_SYNTAX.matcher(text).matches()) {
      throw new IllegalArgumentException("must be a number like 2 or 0.5");
    }
    double value = Double.parseDouble(text);
    if (Double.isInfinite(value)) {
      throw new IllegalArgumentException("must be a finite number");
    }
    return value;
  }

  private static Boolean bool(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  private static String show(Duration d) {
    try {
      return Durations.format(d);
    } catch (IllegalArgumentException e) {
      return d.toString();
    }
  }

  private static int compare(Number a, Number b) {
    return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()));
  }

  private static String itemText(Object item) {
    return item instanceof Duration d ? show(d) : String.valueOf(item);
  }
}
