package dev.backstop.outbox;

import dev.backstop.testkit.TestDatabase;
import org.jdbi.v3.core.Handle;

/**
 * The SQL the outbox integration tests run themselves, where it differs between databases. The
 * outbox stores its times on MariaDB as UTC {@code DATETIME(6)}, so the MariaDB times are {@code
 * UTC_TIMESTAMP(6)}, never {@code NOW()}.
 */
enum TestDialect {
  POSTGRESQL("now()", "now() + interval '1 hour'") {
    @Override
    void sleep(Handle handle, double seconds) {
      handle.select("SELECT pg_sleep(?)", seconds).mapTo(String.class).one();
    }

    @Override
    int increment(Handle handle, String table, String key) {
      return handle
          .select("UPDATE " + table + " SET n = n + 1 WHERE k = ? RETURNING n", key)
          .mapTo(Integer.class)
          .one();
    }

    @Override
    void endIdleTransactionAfter(Handle handle, int seconds) {
      handle.execute("SET idle_in_transaction_session_timeout = '" + seconds + "s'");
    }
  },

  MARIADB("UTC_TIMESTAMP(6)", "UTC_TIMESTAMP(6) + INTERVAL 1 HOUR") {
    @Override
    void sleep(Handle handle, double seconds) {
      handle.select("SELECT SLEEP(?)", seconds).mapTo(String.class).one();
    }

    @Override
    int increment(Handle handle, String table, String key) {
      // no UPDATE ... RETURNING: the UPDATE's row lock, held until the end of the transaction,
      // keeps the row as this transaction left it, and a transaction sees its own changes
      handle.execute("UPDATE " + table + " SET n = n + 1 WHERE k = ?", key);
      return handle
          .select("SELECT n FROM " + table + " WHERE k = ?", key)
          .mapTo(Integer.class)
          .one();
    }

    @Override
    void endIdleTransactionAfter(Handle handle, int seconds) {
      handle.execute("SET SESSION idle_transaction_timeout = " + seconds);
    }
  };

  private final String now;
  private final String inAnHour;

  TestDialect(String now, String inAnHour) {
    this.now = now;
    this.inAnHour = inAnHour;
  }

  /**
   * Makes the server end this session when it sits idle in a transaction for {@code seconds}, so a
   * test whose open transaction blocks the code under test fails instead of hanging.
   */
  abstract void endIdleTransactionAfter(Handle handle, int seconds);

  /** The dialect of the test's database. */
  static TestDialect of(TestDatabase db) {
    return switch (db.kind()) {
      case POSTGRESQL -> POSTGRESQL;
      case MARIADB -> MARIADB;
    };
  }

  /** The database's current time, comparable with the outbox's lease and relay times. */
  String now() {
    return now;
  }

  /** The database's current time plus one hour. */
  String inAnHour() {
    return inAnHour;
  }

  /** Makes the handle's session wait {@code seconds} in the database, as slow business work. */
  abstract void sleep(Handle handle, double seconds);

  /**
   * Adds one to column {@code n} of the row of {@code table} whose column {@code k} is {@code key},
   * in the handle's transaction, and returns the new {@code n}.
   */
  abstract int increment(Handle handle, String table, String key);
}
