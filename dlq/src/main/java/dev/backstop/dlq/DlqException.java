package dev.backstop.dlq;

import dev.backstop.core.BackstopException;

/**
 * A dead-letter operation failed; the message says what, on which topic or record, and what to do.
 */
public class DlqException extends BackstopException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public DlqException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public DlqException(String message, Throwable cause) {
    super(message, cause);
  }
}
