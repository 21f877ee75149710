package dev.backstop.idempotency.internal;

import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.TestDatabase;
import org.jdbi.v3.core.Handle;

@BackstopDatabase(kind = TestDatabase.Kind.POSTGRESQL)
class PostgresStoreContractIT extends AbstractStoreContractIT {

  @Override
  int sessionsWaitingForLocks(Handle handle) {
    return handle
        .createQuery(
            "SELECT count(*) FROM pg_stat_activity"
                + " WHERE application_name = :app AND wait_event_type = 'Lock'")
        .bind("app", db.schema())
        .mapTo(Integer.class)
        .one();
  }

  @Override
  void analyze(Handle handle) {
    handle.execute("ANALYZE backstop_processed_messages");
  }
}
