package dev.backstop.dlq;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What {@code dlq stats} groups dead letters by. Immutable and thread-safe. */
public enum GroupBy {
  /**
   * The root cause's class ({@link FailureInfo#rootCause()}), not a framework's wrapper around it.
   */
  ERROR("error"),
  /** The error fingerprint (class and first application frame of the root cause). */
  FINGERPRINT("fingerprint"),
  /** The topic the record was first consumed from. */
  ORIGINAL_TOPIC("original-topic");

  /** Group key for dead letters that do not carry the grouped field. */
  public static final String NONE = "(none)";

  private final String label;

  GroupBy(String label) {
    this.label = label;
  }

  /** The name used on the command line and in JSON output. */
  public String label() {
    return label;
  }

  /** The group key of {@code letter}, {@link #NONE} when it lacks the field. */
  public String keyOf(DeadLetter letter) {
    FailureInfo f = letter.failure();
    String key =
        switch (this) {
          case ERROR -> f.rootCause();
          case FINGERPRINT -> f.fingerprint();
          case ORIGINAL_TOPIC -> f.originalTopic();
        };
    return key == null ? NONE : key;
  }

  /** Parses a label ({@code error}, {@code fingerprint}, {@code original-topic}). */
  public static GroupBy parse(String label) {
    for (GroupBy by : values()) {
      if (by.label.equals(label)) {
        return by;
      }
    }
    throw new InvalidInputException(
        "Invalid value "
            + label
            + " for --by: must be one of "
            + Arrays.stream(values()).map(GroupBy::label).collect(Collectors.joining(", ")));
  }
}
