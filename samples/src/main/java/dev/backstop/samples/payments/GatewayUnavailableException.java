package dev.backstop.samples.payments;

/**
 * The payment gateway is down (an outage): retried, and a run of them opens the circuit. Immutable.
 */
public final class GatewayUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public GatewayUnavailableException(String message) {
    super(message);
  }
}
