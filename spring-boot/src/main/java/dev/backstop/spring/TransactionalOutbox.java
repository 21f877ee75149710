package dev.backstop.spring;

import dev.backstop.core.MessageId;
import dev.backstop.outbox.Outbox;
import dev.backstop.outbox.OutboxMessage;
import java.sql.Connection;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The outbox inside Spring transactions: {@link #send} writes the message on the connection of the
 * current Spring transaction (the one {@code JdbcTemplate}, and JPA through {@code
 * JpaTransactionManager}, write on), so the message commits and rolls back with the caller's rows.
 * After the commit the relay of this application is woken.
 *
 * <pre>{@code
 * @Transactional
 * public void placeOrder(Order order) {
 *   jdbc.update("INSERT INTO orders (id, total) VALUES (?, ?)", order.id(), order.total());
 *   outbox.send(OutboxMessage.of("orders", order.id(), json(order)));
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TransactionalOutbox {
  private final Outbox outbox;
  private final DataSource dataSource;

  /** The outbox writing on {@code dataSource}'s transactional connections. */
  public TransactionalOutbox(Outbox outbox, DataSource dataSource) {
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /**
   * Writes {@code message} in the current Spring transaction and returns its id.
   *
   * @throws IllegalStateException when no Spring transaction is active
   * @throws dev.backstop.outbox.InvalidOutboxMessageException for a message Kafka would never
   *     accept; the caller's transaction should roll back
   */
  public MessageId send(OutboxMessage message) {
    return sendAll(List.of(message)).get(0);
  }

  /** Writes several messages in the current Spring transaction; their ids in the given order. */
  public List<MessageId> sendAll(List<OutboxMessage> messages) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException(
          "outbox.send needs a Spring transaction: call it from a @Transactional method or in a"
              + " TransactionTemplate, so the message commits with the caller's writes");
    }
    Connection connection = DataSourceUtils.getConnection(dataSource);
    try {
      List<MessageId> ids = messages.stream().map(m -> outbox.send(connection, m)).toList();
      wakeAfterCommit();
      return ids;
    } finally {
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
  }

  /** The plain outbox (parked messages, requeue, configuration). */
  public Outbox outbox() {
    return outbox;
  }

  private void wakeAfterCommit() {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              outbox.wakeUp();
            }
          });
    }
  }
}
