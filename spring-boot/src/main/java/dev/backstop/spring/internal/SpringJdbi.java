package dev.backstop.spring.internal;

import java.sql.Connection;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.LocalTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A {@link Jdbi} whose handles use the connection of the current Spring transaction and leave the
 * transaction to Spring: a Jdbi transaction inside a Spring transaction joins it (begin, commit and
 * rollback are Spring's), so the idempotency claim commits with the handler's {@code JdbcTemplate}
 * writes. Thread-safe.
 */
public final class SpringJdbi {

  private SpringJdbi() {}

  /** A Jdbi on {@code dataSource} that takes part in Spring transactions. */
  public static Jdbi on(DataSource dataSource) {
    Jdbi jdbi =
        Jdbi.create(
            new ConnectionFactory() {
              @Override
              public Connection openConnection() {
                return DataSourceUtils.getConnection(dataSource);
              }

              @Override
              public void closeConnection(Connection connection) {
                DataSourceUtils.releaseConnection(connection, dataSource);
              }
            });
    jdbi.setTransactionHandler(new Participating());
    jdbi.getConfig(Handles.class).setForceEndTransactions(false);
    return jdbi;
  }

  /**
   * Runs Jdbi transactions as parts of the Spring transaction active when the handle opened; a
   * handle opened outside one (the store's start-up checks) manages its own local transactions.
   */
  private static final class Participating implements TransactionHandler {
    @Override
    public TransactionHandler specialize(Handle handle) throws java.sql.SQLException {
      return TransactionSynchronizationManager.isActualTransactionActive()
          ? this
          : new LocalTransactionHandler().specialize(handle);
    }

    @Override
    public void begin(Handle handle) {
      requireSpringTransaction();
    }

    @Override
    public void commit(Handle handle) {
      // Spring commits
    }

    @Override
    public void rollback(Handle handle) {
      // the exception that led here leaves the Spring transaction, which rolls it back
    }

    @Override
    public boolean isInTransaction(Handle handle) {
      return TransactionSynchronizationManager.isActualTransactionActive();
    }

    @Override
    public void savepoint(Handle handle, String name) {
      throw new UnsupportedOperationException("savepoints inside a Spring transaction");
    }

    @Override
    public void rollbackToSavepoint(Handle handle, String name) {
      throw new UnsupportedOperationException("savepoints inside a Spring transaction");
    }

    @Override
    public void releaseSavepoint(Handle handle, String name) {
      throw new UnsupportedOperationException("savepoints inside a Spring transaction");
    }

    @Override
    public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback)
        throws X {
      requireSpringTransaction();
      return callback.withHandle(handle);
    }

    @Override
    public <R, X extends Exception> R inTransaction(
        Handle handle, TransactionIsolationLevel level, HandleCallback<R, X> callback) throws X {
      return inTransaction(handle, callback);
    }

    private static void requireSpringTransaction() {
      if (!TransactionSynchronizationManager.isActualTransactionActive()) {
        throw new IllegalStateException("a Spring transaction must be active");
      }
    }
  }
}
