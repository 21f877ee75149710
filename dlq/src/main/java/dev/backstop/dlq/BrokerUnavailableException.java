package dev.backstop.dlq;

/** The cluster did not answer within the configured timeout ({@code backstop.dlq.read.timeout}). */
public final class BrokerUnavailableException extends DlqException {
  private static final long serialVersionUID = 1L;

  /** The cluster did not answer; {@code message} names the address and the timeout. */
  public BrokerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
