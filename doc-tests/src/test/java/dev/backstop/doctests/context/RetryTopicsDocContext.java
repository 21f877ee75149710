package dev.backstop.doctests.context;

import dev.backstop.core.BackstopProperties;
import dev.backstop.core.RecordHandler;
import dev.backstop.retry.ReliableConsumerConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the prose around the Java blocks of docs/retry-topics.md takes as given: the service's own
 * objects and types.
 */
@SuppressWarnings("unused")
public abstract class RetryTopicsDocContext {
  /** The service's configuration file. */
  protected Path file;

  /** The process environment. */
  protected Map<String, String> env;

  /** The configuration of the quick start. */
  protected ReliableConsumerConfig config;

  /** The application's OpenTelemetry (the SDK, or the agent's through GlobalOpenTelemetry). */
  protected io.opentelemetry.api.OpenTelemetry openTelemetry;

  /** The service's handler. */
  protected RecordHandler<String, String> handler;

  /** The application's business call. */
  protected void charge(String order) {}

  /** The application's exception for an order that can never be paid. */
  protected static class InvalidOrderException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** The application's exception for an event overtaken by a newer one. */
  protected static class StaleEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** The application's exception for a refused call to a rate-limited API. */
  protected static class RateLimitedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** The application's HTTP client's exception. */
  protected static class HttpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public int status() {
      return 500;
    }
  }

  /** The service's configuration file, loaded. */
  protected BackstopProperties backstop;
}
