package dev.backstop.dlq;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a record sits: {@code topic/partition/offset}, as printed by {@code dlq list} and accepted
 * by {@code dlq show}. Immutable and thread-safe.
 *
 * @param topic the topic name
 * @param partition the partition, at least 0
 * @param offset the offset, at least 0
 */
public record RecordAddress(String topic, int partition, long offset) {

  private static final Pattern FORM =
      Pattern.compile("([A-Za-z0-9._-]{1,249})/(\\d{1,9})/(\\d{1,18})");

  /** Validates the parts; throws {@link InvalidInputException} naming the bad part. */
  public RecordAddress {
    Objects.requireNonNull(topic, "topic");
    if (partition < 0 || offset < 0) {
      throw new InvalidInputException(
          "Invalid address " + topic + "/" + partition + "/" + offset + ": " + RULE);
    }
  }

  private static final String RULE =
      "expected TOPIC/PARTITION/OFFSET with a partition and an offset of 0 or more, like"
          + " orders.dlq/0/42";

  /**
   * Parses {@code topic/partition/offset}.
   *
   * @throws InvalidInputException when {@code text} does not have that shape
   */
  public static RecordAddress parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new InvalidInputException("Invalid address " + text + ": " + RULE);
    }
    return new RecordAddress(m.group(1), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)));
  }

  @Override
  public String toString() {
    return topic + "/" + partition + "/" + offset;
  }
}
