package dev.backstop.samples.payments;

/**
 * The gateway declined the payment for good (a poison order): dead-lettered at once, never retried,
 * because {@code backstop.retry.dead-letter-on} names this class. Immutable.
 */
public final class PaymentDeclinedException extends Exception {
  private static final long serialVersionUID = 1L;

  public PaymentDeclinedException(String message) {
    super(message);
  }
}
