package dev.backstop.doctests.context;

import java.util.Properties;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * What the prose around the Java blocks of README.md takes as given: the service's own objects and
 * types.
 */
@SuppressWarnings("unused")
public abstract class ReadmeContext {
  /** The application's connection pool. */
  protected DataSource dataSource;

  /** The service's configuration file, loaded. */
  protected Properties properties;

  /** The service's Kafka consumer, subscribed. */
  protected Consumer<String, String> consumer;

  /** The application's event. */
  public record OrderPlaced(String orderId, long amountCents) {}

  /** The application's exception for an order that can never be paid. */
  protected static class InvalidOrderException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** The Spring Boot quick start's JDBC access, outbox and JSON messages (injected beans). */
  protected org.springframework.jdbc.core.JdbcTemplate jdbc;

  protected dev.backstop.spring.TransactionalOutbox outbox;

  protected dev.backstop.outbox.JsonMessages json;

  /** The Spring Boot quick start's order. */
  public record Order(String id, long total) {}

  /** The application's business call. */
  protected void charge(String order) {}
}
