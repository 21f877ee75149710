package dev.backstop.idempotency;

import java.time.Instant;

/**
 * Lease mode: another consumer holds a live lease on the message, so its side effect may still be
 * running. The record was not processed; do not commit past it. Seek back and retry after {@link
 * #leaseUntil()} (with the consumer wrapper, classify it as a retry). Immutable.
 */
public final class LeaseHeldException extends IdempotencyException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final Instant leaseUntil;

  /** The message key, the lease's expiry and where the record came from. */
  public LeaseHeldException(String key, Instant leaseUntil, String recordName) {
    super(
        "Message "
            + key
            + (recordName == null ? "" : " (record " + recordName + ")")
            + " is being processed by another consumer whose lease runs until "
            + leaseUntil
            + "; not processed: retry it after that time, do not commit past it");
    this.key = key;
    this.leaseUntil = leaseUntil;
  }

  /** The message id or business key. */
  public String key() {
    return key;
  }

  /** When the other consumer's lease expires and the message can be taken over. */
  public Instant leaseUntil() {
    return leaseUntil;
  }
}
