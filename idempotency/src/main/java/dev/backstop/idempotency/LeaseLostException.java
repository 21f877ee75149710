package dev.backstop.idempotency;

/**
 * Lease mode: this consumer's lease expired and another consumer took the message over before this
 * one completed it, so the side effect may have run twice. Make the effect idempotent downstream
 * (pass the key as an idempotency key) or use a longer {@code backstop.idempotency.lease-duration}.
 * Immutable.
 */
public final class LeaseLostException extends IdempotencyException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /** The message whose lease was lost. */
  public LeaseLostException(String key, String group) {
    super(
        "Lease on message "
            + key
            + " of group "
            + group
            + " was taken over by another consumer before it was completed; the side effect may"
            + " have run twice: raise backstop.idempotency.lease-duration above the longest"
            + " side effect");
    this.key = key;
  }

  /** The message id or business key. */
  public String key() {
    return key;
  }
}
