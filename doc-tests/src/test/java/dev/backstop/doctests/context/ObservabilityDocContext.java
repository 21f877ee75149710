package dev.backstop.doctests.context;

import dev.backstop.core.RecordHandler;
import dev.backstop.dlq.DlqConfig;
import dev.backstop.outbox.Outbox;
import dev.backstop.outbox.OutboxMessage;
import dev.backstop.retry.ReliableConsumerConfig;
import org.jdbi.v3.core.Handle;

/** What the prose around the Java blocks of docs/observability.md takes as given. */
@SuppressWarnings("unused")
public abstract class ObservabilityDocContext {
  /** The application's OpenTelemetry (the SDK, or the agent's through GlobalOpenTelemetry). */
  protected io.opentelemetry.api.OpenTelemetry openTelemetry;

  /** The consumer's configuration and handler. */
  protected ReliableConsumerConfig config;

  protected RecordHandler<byte[], byte[]> handler;

  /** The dead-letter tools' configuration. */
  protected DlqConfig dlqConfig;

  /** The outbox's configuration and the application's connection pool. */
  protected dev.backstop.outbox.OutboxConfig outboxConfig;

  protected javax.sql.DataSource dataSource;

  /** The service's outbox, the business transaction's handle and the message it sends. */
  protected Outbox outbox;

  protected Handle handle;

  protected OutboxMessage message;

  /** The W3C traceparent of the span around the business transaction. */
  protected String currentTraceparent;
}
