package dev.backstop.outbox.internal;

import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;

/**
 * The Kafka side of one relay: its transactional producer, the admin client, the size guard that
 * reads topic limits through it, and the publisher over the producer and the guard. Built by {@link
 * OutboxEngine}, closed by the relay. Used by the relay thread; {@link #close(Duration)} from any
 * thread.
 */
final class RelayClients implements AutoCloseable {

  private final RelayProducer producer;
  private final Admin admin;
  private final SizeGuard sizeGuard;
  private final Publisher publisher;

  RelayClients(RelayProducer producer, Admin admin, SizeGuard sizeGuard, Publisher publisher) {
    this.producer = producer;
    this.admin = admin;
    this.sizeGuard = sizeGuard;
    this.publisher = publisher;
  }

  RelayProducer producer() {
    return producer;
  }

  SizeGuard sizeGuard() {
    return sizeGuard;
  }

  Publisher publisher() {
    return publisher;
  }

  /** Closes the producer and the admin client, waiting up to {@code timeout} for each. */
  void close(Duration timeout) {
    producer.close(timeout);
    admin.close(timeout);
  }

  /** Closes the clients at once. */
  @Override
  public void close() {
    close(Duration.ZERO);
  }
}
