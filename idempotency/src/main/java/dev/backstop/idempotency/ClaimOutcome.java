package dev.backstop.idempotency;

/** The result of claiming one message id in the processed-message store. Immutable. */
public enum ClaimOutcome {
  /** This transaction claimed the id: process the record; the claim commits with its writes. */
  CLAIMED,
  /** The id was already claimed by a committed transaction: skip the record. */
  DUPLICATE,
  /** The id appeared earlier in the same batch; that earlier record carries the claim. */
  DUPLICATE_IN_BATCH,
  /** The record has no key and the policy is {@link MissingKeyPolicy#NO_DEDUP}: not tracked. */
  UNTRACKED;

  /** Whether the record should be handed to the handler. */
  public boolean shouldProcess() {
    return this == CLAIMED || this == UNTRACKED;
  }
}
