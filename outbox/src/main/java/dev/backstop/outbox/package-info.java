/**
 * The transactional outbox: a message is written in the caller's own database transaction and a
 * relay publishes it to Kafka after the commit, in order per key, deleting it after the broker's
 * ack; messages Kafka will never accept are parked, listed and requeued.
 *
 * <p>Start at {@link dev.backstop.outbox.Outbox#create(OutboxConfig, javax.sql.DataSource)};
 * configure it with {@link dev.backstop.outbox.OutboxConfig}, built from a properties file or its
 * builder. {@link dev.backstop.outbox.OutboxRelay} is a running relay, {@link
 * dev.backstop.outbox.OutboxMessage} a message to send, {@link dev.backstop.outbox.ParkedMessage} a
 * parked one, and {@link dev.backstop.outbox.OutboxMetricNames} the relay's metric names.
 */
package dev.backstop.outbox;
