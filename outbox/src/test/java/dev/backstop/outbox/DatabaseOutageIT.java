package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.Health;
import dev.backstop.outbox.internal.Relay;
import dev.backstop.outbox.internal.RelayHooks;
import dev.backstop.outbox.internal.Row;
import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Acceptance 5: the relay's PostgreSQL sessions are killed while it works. */
@BackstopKafka
@BackstopDatabase
class DatabaseOutageIT {

  @Test
  void relayRecoversFromTerminatedConnectionsWithoutLoss(KafkaBroker broker, TestDatabase db)
      throws Exception {
    String topic = "db-outage";
    broker.createTopic(topic, 2);
    OutboxConfig config = Fixture.config(broker, "do_").batchSize(25).build();
    // hold the relay between a publish and its delete, kill every session, then let it go on
    CountDownLatch atDelete = new CountDownLatch(1);
    CountDownLatch killed = new CountDownLatch(1);
    RelayHooks hooks =
        new RelayHooks() {
          @Override
          public void afterAcks(List<Row> batch) {
            if (atDelete.getCount() > 0) {
              atDelete.countDown();
              try {
                killed.await(2, TimeUnit.MINUTES); // a failed test must not hang the relay
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        };
    try (Outbox outbox = Outbox.create(config, db.dataSource())) {
      List<String> committed = new ArrayList<>(Fixture.write(outbox, db, topic, "a", 300, 10));
      Relay relay = outbox.engine().startRelay("relay", hooks);
      assertThat(atDelete.await(30, TimeUnit.SECONDS)).isTrue();

      assertThat(db.terminateConnections()).isPositive();
      killed.countDown();

      await("the relay notices the broken connections")
          .atMost(Duration.ofSeconds(30))
          .until(() -> relay.health().status() == Health.Status.DEGRADED);
      committed.addAll(Fixture.write(outbox, db, topic, "b", 100, 10));
      Fixture.awaitDrained(db, "do_");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> relay.health().status() == Health.Status.UP);

      assertThat(Fixture.publishedIds(broker, topic))
          .containsExactlyInAnyOrderElementsOf(committed);
    }
  }
}
