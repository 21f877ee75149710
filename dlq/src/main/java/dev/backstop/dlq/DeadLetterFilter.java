package dev.backstop.dlq;

import java.time.Instant;

/**
 * Which dead letters a command applies to. Every criterion is optional ({@code null} matches all);
 * set criteria must all match. Immutable and thread-safe. Build with {@link #builder()}.
 *
 * @param since dead-lettered at or after (record timestamp)
 * @param until dead-lettered at or before (record timestamp)
 * @param errorClass the root cause's class or the recorded error class (a wrapper such as Spring's
 *     {@code ListenerExecutionFailedException}), fully qualified or simple name ({@code
 *     InvalidOrderException}, also of a nested class)
 * @param fingerprint the error fingerprint, or a prefix of it
 * @param key the record key as UTF-8 text
 * @param originalTopic the topic the record was first consumed from
 * @param partition the dead-letter topic's partition
 * @param fromOffset the first offset (inclusive) within {@code partition}
 * @param toOffset the last offset (inclusive) within {@code partition}
 * @param limit the most dead letters to select
 */
public record DeadLetterFilter(
    Instant since,
    Instant until,
    String errorClass,
    String fingerprint,
    String key,
    String originalTopic,
    Integer partition,
    Long fromOffset,
    Long toOffset,
    Integer limit) {

  /** Matches every dead letter. */
  public static final DeadLetterFilter ALL = builder().build();

  /** Rejects contradictions with an {@link InvalidInputException} naming both values. */
  public DeadLetterFilter {
    if (since != null && until != null && since.isAfter(until)) {
      throw new InvalidInputException(
          "Invalid time range: since " + since + " is after until " + until);
    }
    if ((fromOffset != null || toOffset != null) && partition == null) {
      throw new InvalidInputException(
          "Invalid offset range: an offset range needs a partition (offsets are per partition)");
    }
    if (fromOffset != null && toOffset != null && fromOffset > toOffset) {
      throw new InvalidInputException(
          "Invalid offset range: from " + fromOffset + " is after to " + toOffset);
    }
    if (partition != null && partition < 0) {
      throw new InvalidInputException("Invalid partition " + partition + ": must be at least 0");
    }
    if (limit != null && limit < 1) {
      throw new InvalidInputException("Invalid limit " + limit + ": must be at least 1");
    }
  }

  /** A builder with no criteria. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether {@code letter} meets every set criterion ({@link #limit()} is applied by the reader).
   */
  public boolean matches(DeadLetter letter) {
    FailureInfo f = letter.failure();
    return (since == null || !letter.timestamp().isBefore(since))
        && (until == null || !letter.timestamp().isAfter(until))
        && (errorClass == null || classMatches(f.rootCause()) || classMatches(f.errorClass()))
        && (fingerprint == null
            || (f.fingerprint() != null && f.fingerprint().startsWith(fingerprint)))
        && (key == null || key.equals(letter.keyText()))
        && (originalTopic == null || originalTopic.equals(f.originalTopic()))
        && (partition == null || partition == letter.address().partition())
        && (fromOffset == null || letter.address().offset() >= fromOffset)
        && (toOffset == null || letter.address().offset() <= toOffset);
  }

  private boolean classMatches(String actual) {
    return actual != null
        && (actual.equals(errorClass)
            || actual.endsWith("." + errorClass)
            || actual.endsWith("$" + errorClass));
  }

  /**
   * A stable text form of every criterion, used to name a replay's checkpoint: the same filter
   * always gives the same text.
   */
  public String canonical() {
    return "since="
        + since
        + ";until="
        + until
        + ";error="
        + errorClass
        + ";fingerprint="
        + fingerprint
        + ";key="
        + key
        + ";original="
        + originalTopic
        + ";partition="
        + partition
        + ";from="
        + fromOffset
        + ";to="
        + toOffset
        + ";limit="
        + limit;
  }

  /** Builds a {@link DeadLetterFilter}; not thread-safe. */
  public static final class Builder {
    private Instant since;
    private Instant until;
    private String errorClass;
    private String fingerprint;
    private String key;
    private String originalTopic;
    private Integer partition;
    private Long fromOffset;
    private Long toOffset;
    private Integer limit;

    private Builder() {}

    /** Dead-lettered at or after {@code value}. */
    public Builder since(Instant value) {
      since = value;
      return this;
    }

    /** Dead-lettered at or before {@code value}. */
    public Builder until(Instant value) {
      until = value;
      return this;
    }

    /** Error class, fully qualified or simple name. */
    public Builder errorClass(String value) {
      errorClass = value;
      return this;
    }

    /** Error fingerprint or a prefix of it. */
    public Builder fingerprint(String value) {
      fingerprint = value;
      return this;
    }

    /** Record key as UTF-8 text. */
    public Builder key(String value) {
      key = value;
      return this;
    }

    /** Topic the record was first consumed from. */
    public Builder originalTopic(String value) {
      originalTopic = value;
      return this;
    }

    /** Partition of the dead-letter topic. */
    public Builder partition(Integer value) {
      partition = value;
      return this;
    }

    /** First offset, inclusive (needs a partition). */
    public Builder fromOffset(Long value) {
      fromOffset = value;
      return this;
    }

    /** Last offset, inclusive (needs a partition). */
    public Builder toOffset(Long value) {
      toOffset = value;
      return this;
    }

    /** Most dead letters to select. */
    public Builder limit(Integer value) {
      limit = value;
      return this;
    }

    /** The filter; throws {@link InvalidInputException} on a contradiction. */
    public DeadLetterFilter build() {
      return new DeadLetterFilter(
          since,
          until,
          errorClass,
          fingerprint,
          key,
          originalTopic,
          partition,
          fromOffset,
          toOffset,
          limit);
    }
  }
}
