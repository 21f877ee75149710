package dev.backstop.core;

/**
 * A text that is not a valid Backstop message id (a UUIDv7 in canonical form). The message names
 * the rejected value.
 *
 * <p>Thread-safety: immutable.
 */
public final class InvalidMessageIdException extends BackstopException {
  private static final long serialVersionUID = 1L;

  private final String value;

  /** Creates the exception for {@code value}, saying in {@code reason} why it was rejected. */
  public InvalidMessageIdException(String value, String reason) {
    super("Invalid message id '" + value + "': " + reason);
    this.value = value;
  }

  /** The rejected text, as given. */
  public String value() {
    return value;
  }
}
