package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A writer's transaction that stays open, holding its lane's row lock and an uncommitted row, holds
 * back neither the start of a relay nor the publication and deletion of the lane's committed rows.
 * Subclasses pick the database with {@code @BackstopDatabase}.
 */
abstract class AbstractOpenWriterIT {

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aRelayStartsAndDrainsTheLaneWhileAWriterOfItIsOpen(KafkaBroker broker, TestDatabase db) {
    broker.createTopic("open-writer", 1);
    Jdbi jdbi = Jdbi.create(db.dataSource());
    OutboxConfig config = Fixture.config(broker, "ow_").lanes(1).build();
    try (Outbox outbox = Outbox.create(config, db.dataSource());
        Handle open = jdbi.open()) {
      List<String> committed = Fixture.write(outbox, db, "open-writer", "c", 5, 5);
      // a writer that took the lane's next sequence and inserted, but has not committed: its row
      // is the next index record after the committed ones
      // bounded: if the relay waited for this writer, the server ends it and the test fails
      TestDialect.of(db).endIdleTransactionAfter(open, 30);
      open.begin();
      String late =
          outbox.send(open, OutboxMessage.of("open-writer", "k", Fixture.utf8("late"))).toString();
      outbox.startRelay();
      // neither the relay's start (creating missing lanes) nor its range delete waits for it
      Fixture.awaitDrained(db, "ow_");
      assertThat(Fixture.publishedIds(broker, "open-writer"))
          .containsExactlyInAnyOrderElementsOf(committed);
      open.commit();
      Fixture.awaitDrained(db, "ow_");
      assertThat(Fixture.publishedIds(broker, "open-writer")).contains(late).hasSize(6);
    }
  }
}
