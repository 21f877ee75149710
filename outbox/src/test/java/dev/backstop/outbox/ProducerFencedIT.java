package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.outbox.internal.Relay;
import dev.backstop.outbox.internal.RelayHooks;
import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * A fatal producer error from a real broker: another producer takes the relay's transactional id
 * (as a new owner fencing a relay it believes dead does). The relay's producer is fenced; the relay
 * builds a new one and goes on, parking nothing.
 */
@BackstopKafka
@BackstopDatabase(kind = TestDatabase.Kind.POSTGRESQL)
class ProducerFencedIT {

  @Test
  void aFencedRelayBuildsANewProducerAndParksNothing(KafkaBroker broker, TestDatabase db) {
    String topic = "fenced";
    broker.createTopic(topic, 2);
    try (Outbox outbox = Outbox.create(Fixture.config(broker, "pf_").build(), db.dataSource())) {
      Relay relay = outbox.engine().startRelay("victim", RelayHooks.NONE);
      List<String> committed = new ArrayList<>(Fixture.write(outbox, db, topic, "a", 100, 10));
      Fixture.awaitDrained(db, "pf_");

      Map<String, Object> settings = broker.producerConfig();
      settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "backstop-outbox-pf_victim");
      try (KafkaProducer<byte[], byte[]> fencer = new KafkaProducer<>(settings)) {
        fencer.initTransactions();
      }
      committed.addAll(Fixture.write(outbox, db, topic, "b", 100, 10));
      Fixture.awaitDrained(db, "pf_");

      assertThat(outbox.parked(10)).isEmpty();
      assertThat(relay.ownedLanes()).hasSize(16);
      Fixture.assertKeyOrder(broker, topic, committed);
    }
  }
}
