package dev.backstop.dlq;

/**
 * The caller asked for something malformed or contradictory (an address that does not parse, a rate
 * of zero, {@code --since} after {@code --until}). Nothing was read or sent; the command line exits
 * with the usage code 2.
 */
public final class InvalidInputException extends DlqException {
  private static final long serialVersionUID = 1L;

  /** Invalid input described by {@code message}. */
  public InvalidInputException(String message) {
    super(message);
  }
}
