package dev.backstop.idempotency;

/**
 * A record cannot be deduplicated: it has no {@code backstop.message-id} header and no business key
 * (and the policy is {@link MissingKeyPolicy#REJECT}), or its id or key is malformed. The message
 * names the record as {@code topic-partition@offset}. Nothing was claimed or processed; route the
 * record to a dead-letter topic or fix the producer. Immutable.
 */
public final class UnidentifiableRecordException extends IdempotencyException {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final int partition;
  private final long offset;

  /** A rejected record and the reason. */
  public UnidentifiableRecordException(String topic, int partition, long offset, String reason) {
    super("Record " + topic + "-" + partition + "@" + offset + " " + reason);
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
  }

  /** Topic of the rejected record. */
  public String topic() {
    return topic;
  }

  /** Partition of the rejected record. */
  public int partition() {
    return partition;
  }

  /** Offset of the rejected record. */
  public long offset() {
    return offset;
  }
}
