package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.TestDatabase;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 7, against a database: a relay without its schema, and the pool from the JDBC keys.
 */
@BackstopDatabase
class OutboxConfigIT {

  @Test
  void startingARelayWithoutTheSchemaSaysWhatIsMissing(TestDatabase db) {
    OutboxConfig config =
        OutboxConfig.builder()
            .tablePrefix("missing_")
            .kafka("bootstrap.servers", "localhost:1")
            .build();
    try (Outbox outbox = Outbox.create(config, db.dataSource())) {
      OutboxException error = catchThrowableOfType(OutboxException.class, outbox::startRelay);
      assertThat(error).hasMessageContaining("is the schema installed (prefix missing_)?");
    }
  }

  @Test
  void buildsItsOwnPoolFromTheJdbcKeys(TestDatabase db) {
    Properties properties = new Properties();
    properties.setProperty("backstop.outbox.jdbc-url", db.jdbcUrl());
    properties.setProperty("backstop.outbox.jdbc-user", db.user());
    properties.setProperty("backstop.outbox.jdbc-password", db.password());
    properties.setProperty("backstop.outbox.table-prefix", "pool_");
    properties.setProperty("backstop.outbox.auto-create-schema", "true");
    OutboxConfig config = OutboxConfig.from(properties);
    assertThat(config.describe()).contains("backstop.outbox.jdbc-password = ****");
    try (Outbox outbox = Outbox.create(config)) {
      assertThat(outbox.parked(10)).isEmpty();
    }
  }
}
