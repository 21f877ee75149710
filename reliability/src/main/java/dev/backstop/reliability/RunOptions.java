package dev.backstop.reliability;

import dev.backstop.core.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one reliability run does: how many messages, from which seed, how fast, how many fault
 * rounds. Immutable and thread-safe; built by {@link #parse(String...)} or {@link #ci(long)}, both
 * through the validating constructor.
 *
 * @param messages messages written through the outbox (1 to 10,000,000)
 * @param seed seed of every random choice: kinds of messages, handler failures, fault plan
 * @param writeRate messages written per second (1 to 100,000)
 * @param faultRounds how many times every fault type is injected (1 to 1,000)
 * @param poisonRate share of messages the handler rejects for good or that cannot be decoded
 * @param failureRate share of messages whose handler fails transiently once or twice
 * @param partitions partitions of the source topic (1 to 64)
 * @param keys distinct message keys (1 to 1,000,000)
 */
public record RunOptions(
    int messages,
    long seed,
    int writeRate,
    int faultRounds,
    double poisonRate,
    double failureRate,
    int partitions,
    int keys) {

  /** Option names and their one-line meaning, for the usage text. */
  static final Map<String, String> OPTIONS = options();

  public RunOptions {
    List<String> problems =
        problems(messages, writeRate, faultRounds, poisonRate, failureRate, partitions, keys);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  private static List<String> problems(
      int messages,
      int writeRate,
      int faultRounds,
      double poisonRate,
      double failureRate,
      int partitions,
      int keys) {
    List<String> problems = new ArrayList<>();
    range(problems, "--messages", messages, 1, 10_000_000);
    range(problems, "--write-rate", writeRate, 1, 100_000);
    range(problems, "--fault-rounds", faultRounds, 1, 1_000);
    range(problems, "--partitions", partitions, 1, 64);
    range(problems, "--keys", keys, 1, 1_000_000);
    share(problems, "--poison-rate", poisonRate, 0.5);
    share(problems, "--failure-rate", failureRate, 0.5);
    return problems;
  }

  /** The CI-sized run: a few thousand messages, every fault type once. */
  public static RunOptions ci(long seed) {
    return new RunOptions(3000, seed, 100, 1, 0.01, 0.05, 6, 200);
  }

  /**
   * Parses {@code --name value} pairs; unknown names, missing values, malformed numbers and values
   * out of range are all reported in one {@link ConfigException}.
   */
  public static RunOptions parse(String... args) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!OPTIONS.containsKey(name)) {
        problems.add("Unknown option " + name + ": known options are " + OPTIONS.keySet());
      } else if (i + 1 >= args.length) {
        problems.add("Missing value for " + name + ": " + OPTIONS.get(name));
      } else {
        values.put(name, args[++i]);
      }
    }
    RunOptions defaults = ci(42);
    int messages = integer(problems, values, "--messages", defaults.messages());
    long seed = (long) number(problems, values, "--seed", defaults.seed(), true);
    int rate = integer(problems, values, "--write-rate", defaults.writeRate());
    int rounds = integer(problems, values, "--fault-rounds", defaults.faultRounds());
    double poison = number(problems, values, "--poison-rate", defaults.poisonRate(), false);
    double failure = number(problems, values, "--failure-rate", defaults.failureRate(), false);
    int partitions = integer(problems, values, "--partitions", defaults.partitions());
    int keys = integer(problems, values, "--keys", defaults.keys());
    problems.addAll(problems(messages, rate, rounds, poison, failure, partitions, keys));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new RunOptions(messages, seed, rate, rounds, poison, failure, partitions, keys);
  }

  /** The options as arguments that {@link #parse} reads back to an equal value. */
  public String toArgs() {
    return String.join(
        " ",
        "--messages " + messages,
        "--seed " + seed,
        "--write-rate " + writeRate,
        "--fault-rounds " + faultRounds,
        "--poison-rate " + poisonRate,
        "--failure-rate " + failureRate,
        "--partitions " + partitions,
        "--keys " + keys);
  }

  private static int integer(
      List<String> problems, Map<String, String> values, String name, int fallback) {
    double value = number(problems, values, name, fallback, true);
    if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
      problems.add("Invalid value " + values.get(name) + " for " + name + ": too large");
      return fallback;
    }
    return (int) value;
  }

  private static double number(
      List<String> problems,
      Map<String, String> values,
      String name,
      double fallback,
      boolean whole) {
    String text = values.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      return whole ? Long.parseLong(text.strip()) : Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      problems.add(
          "Invalid value "
              + shorten(text)
              + " for "
              + name
              + ": must be "
              + (whole ? "a whole number" : "a number"));
      return fallback;
    }
  }

  private static void range(List<String> problems, String name, long value, long min, long max) {
    if (value < min || value > max) {
      problems.add(
          "Invalid value " + value + " for " + name + ": must be between " + min + " and " + max);
    }
  }

  private static void share(List<String> problems, String name, double value, double max) {
    if (!(value >= 0 && value <= max)) {
      problems.add("Invalid value " + value + " for " + name + ": must be between 0 and " + max);
    }
  }

  private static String shorten(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…(" + text.length() + " chars)";
  }

  private static Map<String, String> options() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("--messages", "messages written through the outbox");
    options.put("--seed", "seed of every random choice");
    options.put("--write-rate", "messages written per second");
    options.put("--fault-rounds", "how many times every fault type is injected");
    options.put("--poison-rate", "share of poison messages (0 to 0.5)");
    options.put("--failure-rate", "share of messages whose handler fails transiently (0 to 0.5)");
    options.put("--partitions", "partitions of the source topic");
    options.put("--keys", "distinct message keys");
    return java.util.Collections.unmodifiableMap(options);
  }
}
