package dev.backstop.idempotency.internal;

import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.TestDatabase;
import org.jdbi.v3.core.Handle;

@BackstopDatabase(kind = TestDatabase.Kind.MARIADB)
class MariadbStoreContractIT extends AbstractStoreContractIT {

  @Override
  int sessionsWaitingForLocks(Handle handle) {
    return handle
        .createQuery(
            "SELECT count(*) FROM information_schema.INNODB_TRX t"
                + " JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id"
                + " WHERE p.DB = DATABASE() AND t.trx_state = 'LOCK WAIT'")
        .mapTo(Integer.class)
        .one();
  }

  @Override
  void analyze(Handle handle) {
    handle.createQuery("ANALYZE TABLE backstop_processed_messages").mapToMap().list();
  }
}
