package dev.backstop.idempotency;

import java.time.Instant;

/**
 * The result of asking for a lease on a message (lease mode). Immutable and thread-safe.
 *
 * @param status what happened
 * @param group consumer group
 * @param key message id or business key
 * @param token this holder's fencing token when {@link Status#isHeld() held}, otherwise null
 * @param leaseUntil when the lease expires: ours when held, the other holder's when {@link
 *     Status#BUSY}, null when {@link Status#DONE}
 */
public record Lease(Status status, String group, String key, String token, Instant leaseUntil) {

  /** Outcome of a lease request. */
  public enum Status {
    /** A new lease: run the side effect, then complete it. */
    ACQUIRED,
    /** An expired lease of another consumer was taken over: run the side effect, then complete. */
    TAKEN_OVER,
    /** The message was already completed: skip it. */
    DONE,
    /** Another consumer holds a live lease: do not run the effect, do not commit past it. */
    BUSY;

    /** Whether the caller now holds the lease and should run the side effect. */
    public boolean isHeld() {
      return this == ACQUIRED || this == TAKEN_OVER;
    }
  }
}
