package dev.backstop.dlq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.retry.ReliableConsumer;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Key-order mode and the dead-letter CLI: a head record that reaches the dead-letter topic keeps
 * its key's later records waiting; {@code dlq held} shows them; {@code dlq replay} of the head
 * applies it and then them, in order.
 */
@BackstopKafka
class HeldReplayIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @Test
  void recordsHeldBehindADeadLetterWaitAndFollowItsReplayInOrder(KafkaBroker broker)
      throws Exception {
    broker.createTopic("ledger", 2);
    List<String> applied = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean broken = new AtomicBoolean(true);
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder()
            .groupId("bookkeepers")
            .topics("ledger")
            .createTopics(true)
            .preserveKeyOrder(true)
            .tiers(Duration.ofSeconds(1))
            .pollTimeout(Duration.ofMillis(200))
            .bootstrapServers(broker.bootstrapServers())
            .build();
    String bootstrap = broker.bootstrapServers();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(
                record -> {
                  String value = new String(record.value(), UTF_8);
                  if (value.equals("acct-7:1") && broken.get()) {
                    throw new IllegalStateException("ledger entry rejected: " + value);
                  }
                  applied.add(value);
                })
            .build()) {
      consumer.start();
      send(broker, "acct-7", "acct-7:1");
      broker.readAll("ledger.dlq", 1, DEADLINE); // through its one tier, then dead-lettered
      send(broker, "acct-7", "acct-7:2", "acct-7:3", "acct-7:4", "acct-7:5");
      send(broker, "acct-8", "acct-8:1", "acct-8:2");
      await().atMost(DEADLINE).until(() -> applied.size() == 2); // other keys flow
      await()
          .atMost(DEADLINE)
          .until(
              () -> {
                JsonNode key = heldKey(bootstrap);
                return key != null && key.path("held").size() == 4;
              });
      JsonNode held = heldKey(bootstrap);
      assertThat(held.path("status").asText()).isEqualTo("dead-lettered");
      assertThat(held.path("key").asText()).isEqualTo("acct-7");
      assertThat(held.path("group").asText()).isEqualTo("bookkeepers");
      Cli.Result table = Cli.run("dlq", "held", "ledger.held", "-b", bootstrap);
      assertThat(table.exit()).isZero();
      assertThat(table.out()).contains("acct-7").contains("dead-lettered");
      assertThat(table.err()).contains("1 held key, 4 records waiting behind them");
      assertThat(applied).containsExactly("acct-8:1", "acct-8:2");

      broken.set(false);
      Cli.Result replay = Cli.run("dlq", "replay", "ledger.dlq", "-b", bootstrap);
      assertThat(replay.exit()).as(replay.err()).isZero();
      await().atMost(DEADLINE).until(() -> applied.size() == 7);
      await().atMost(DEADLINE).until(() -> heldKey(bootstrap) == null);
    }
    assertThat(applied.subList(2, 7))
        .containsExactly("acct-7:1", "acct-7:2", "acct-7:3", "acct-7:4", "acct-7:5");
  }

  /** The one held key that {@code dlq held --format json} shows, or null when none is held. */
  private static JsonNode heldKey(String bootstrap) throws Exception {
    Cli.Result result = Cli.run("dlq", "held", "ledger.held", "-b", bootstrap, "--format", "json");
    assertThat(result.exit()).as(result.err()).isZero();
    List<String> lines = result.outLines();
    assertThat(lines).hasSizeLessThanOrEqualTo(1);
    return lines.isEmpty() ? null : new ObjectMapper().readTree(lines.get(0));
  }

  private static void send(KafkaBroker broker, String key, String... values) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>("ledger", key.getBytes(UTF_8), value.getBytes(UTF_8)));
      }
      producer.flush();
    }
  }
}
