package dev.backstop.outbox;

import dev.backstop.core.BackstopException;

/** A failure of the outbox: the database refused a write or a read, or the schema is missing. */
public class OutboxException extends BackstopException {

  private static final long serialVersionUID = 1L;

  public OutboxException(String message, Throwable cause) {
    super(message, cause);
  }

  public OutboxException(String message) {
    super(message);
  }
}
