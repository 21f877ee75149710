package dev.backstop.core;

/**
 * The unchecked root of every exception Backstop throws. Catch this type to handle any Backstop
 * failure; catch a subclass to handle one kind.
 *
 * <p>Thread-safety: instances are immutable once thrown.
 */
public class BackstopException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says what failed and what to do. */
  public BackstopException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public BackstopException(String message, Throwable cause) {
    super(message, cause);
  }
}
