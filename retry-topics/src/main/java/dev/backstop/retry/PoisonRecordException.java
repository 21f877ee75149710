package dev.backstop.retry;

import dev.backstop.core.BackstopException;

/**
 * A record's key or value could not be deserialized. Such records go to the dead-letter topic with
 * their raw bytes; this exception names the record and is the {@code backstop.error.class} of the
 * dead letter.
 *
 * <p>Immutable and thread-safe.
 */
public final class PoisonRecordException extends BackstopException {
  private static final long serialVersionUID = 1L;

  public PoisonRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
