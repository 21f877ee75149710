package dev.backstop.dlq;

import java.util.Objects;

/**
 * Where {@code dlq replay} sends records: back to each record's original topic (read from its
 * headers), or to one named topic. Immutable and thread-safe.
 *
 * @param topic the named topic, or {@code null} for the original topic of each record
 */
public record ReplayTarget(String topic) {

  /** Each record to the topic it was first consumed from. */
  public static final ReplayTarget ORIGINAL = new ReplayTarget(null);

  /** Every record to {@code topic}. */
  public static ReplayTarget topic(String topic) {
    return new ReplayTarget(Objects.requireNonNull(topic, "topic"));
  }

  /** Parses {@code original} or a topic name. */
  public static ReplayTarget parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(
          "Invalid value '' for --to: must be original or a topic name");
    }
    if (text.equals("original")) {
      return ORIGINAL;
    }
    if (!text.matches("[A-Za-z0-9._-]{1,249}")) {
      throw new InvalidInputException(
          "Invalid value "
              + text
              + " for --to: must be original or a topic name (letters, digits, '.', '_', '-')");
    }
    return topic(text);
  }

  /** Whether records go back to their original topics. */
  public boolean original() {
    return topic == null;
  }

  @Override
  public String toString() {
    return topic == null ? "original" : topic;
  }
}
