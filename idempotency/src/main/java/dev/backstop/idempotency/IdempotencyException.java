package dev.backstop.idempotency;

import dev.backstop.core.BackstopException;

/**
 * Root of the idempotent consumer's errors, also thrown as is when the store's table is missing or
 * has no primary key. Immutable.
 */
public class IdempotencyException extends BackstopException {
  private static final long serialVersionUID = 1L;

  /** An error with a message that says what failed and what to do. */
  public IdempotencyException(String message) {
    super(message);
  }

  /** An error with a message and its cause. */
  public IdempotencyException(String message, Throwable cause) {
    super(message, cause);
  }
}
