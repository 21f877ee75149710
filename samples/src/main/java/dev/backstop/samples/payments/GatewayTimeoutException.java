package dev.backstop.samples.payments;

/**
 * The payment gateway did not answer in time: a transient failure, retried through the tiers.
 * Immutable.
 */
public final class GatewayTimeoutException extends Exception {
  private static final long serialVersionUID = 1L;

  public GatewayTimeoutException(String message) {
    super(message);
  }
}
