package dev.backstop.doctests.context;

import dev.backstop.core.BackstopProperties;
import dev.backstop.idempotency.IdempotencyStore;
import dev.backstop.idempotency.TransactionalRecordHandler;
import org.apache.kafka.clients.consumer.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * What the prose around the Java blocks of docs/idempotency.md takes as given: the service's own
 * objects and types.
 */
@SuppressWarnings("unused")
public abstract class IdempotencyDocContext {
  /** The service's Jdbi over its connection pool. */
  protected Jdbi jdbi;

  /** The processed-message store of the quick start. */
  protected IdempotencyStore store;

  /** The service's Kafka consumer, subscribed. */
  protected Consumer<String, String> consumer;

  /** The service's handler: its writes in the claim's transaction. */
  protected TransactionalRecordHandler<String, String> handler;

  /** A mail client: an effect outside the database. */
  protected Mailer smtp;

  /** A mail client. */
  protected interface Mailer {
    void send(String mail) throws Exception;
  }

  /** The application's business key of an event, or null. */
  protected String orderIdAndEventType(String value) {
    return null;
  }

  /** The service's configuration file, loaded. */
  protected BackstopProperties backstop;
}
