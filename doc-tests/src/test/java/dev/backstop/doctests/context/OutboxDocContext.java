package dev.backstop.doctests.context;

import dev.backstop.outbox.Outbox;
import java.util.Properties;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * What the prose around the Java blocks of docs/outbox.md takes as given: the service's own objects
 * and types.
 */
@SuppressWarnings("unused")
public abstract class OutboxDocContext {
  /** The application's connection pool. */
  protected DataSource dataSource;

  /** The service's Jdbi over that pool. */
  protected Jdbi jdbi;

  /** The service's configuration file, loaded. */
  protected Properties properties;

  /** The outbox of the quick start. */
  protected Outbox outbox;

  /** The application's event. */
  public record OrderPlaced(String orderId, long amountCents) {}
}
