package dev.backstop.samples.boot;

/** A payment that retrying cannot fix: the consumer's rules send its order to the DLQ. */
public final class PaymentDeclinedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PaymentDeclinedException(String message) {
    super(message);
  }
}
