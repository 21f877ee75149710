package dev.backstop.dlq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.MessageId;
import dev.backstop.retry.Action;
import dev.backstop.retry.ErrorRule;
import dev.backstop.retry.ReliableConsumer;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 1 with dead letters written by the consumer wrapper itself: what the wrapper writes,
 * the command line lists, shows and replays with the context decoded.
 */
@BackstopKafka
class WrapperDeadLettersIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  /** What the handler throws for a declined card. */
  static final class CardDeclinedException extends RuntimeException {
    CardDeclinedException(String message) {
      super(message);
    }
  }

  @Test
  void deadLettersOfTheConsumerWrapperListShowAndReplayDecoded(KafkaBroker broker)
      throws Exception {
    broker.createTopic("payments", 2);
    List<String> ids = send(broker, "payments", List.of("ok-1", "declined-1", "declined-2"));
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder()
            .groupId("payers")
            .topics("payments")
            .createTopics(true)
            .tiers(Duration.ofSeconds(1))
            .pollTimeout(Duration.ofMillis(200))
            .bootstrapServers(broker.bootstrapServers())
            .build();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(
                record -> {
                  String value = new String(record.value(), UTF_8);
                  if (value.startsWith("declined")) {
                    throw new CardDeclinedException("card declined for " + value);
                  }
                })
            .rule(ErrorRule.on(CardDeclinedException.class, Action.DEAD_LETTER))
            .build()) {
      consumer.start();
      broker.readAll("payments.dlq", 2, DEADLINE);
    }
    String bootstrap = broker.bootstrapServers();

    Cli.Result list = Cli.run("dlq", "list", "payments.dlq", "-b", bootstrap, "--format", "json");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.outLines()).hasSize(2);
    List<String> addresses = new ArrayList<>();
    for (String line : list.outLines()) {
      JsonNode row = JSON.readTree(line);
      addresses.add(row.path("address").asText());
      assertThat(row.path("source").asText()).isEqualTo("backstop");
      assertThat(row.path("originalTopic").asText()).isEqualTo("payments");
      assertThat(row.path("originalOffset").isNumber()).isTrue();
      assertThat(row.path("consumerGroup").asText()).isEqualTo("payers");
      assertThat(row.path("errorClass").asText()).isEqualTo(CardDeclinedException.class.getName());
      assertThat(row.path("errorMessage").asText()).startsWith("card declined for declined-");
      assertThat(ids).contains(row.path("messageId").asText());
    }

    Cli.Result show = Cli.run("dlq", "show", addresses.get(0), "-b", bootstrap);
    assertThat(show.exit()).as(show.err()).isZero();
    assertThat(show.out())
        .contains("payments")
        .contains("payers")
        .contains(CardDeclinedException.class.getName())
        .contains("card declined for declined-");

    Cli.Result stats = Cli.run("dlq", "stats", "payments.dlq", "-b", bootstrap, "--format", "json");
    assertThat(stats.exit()).as(stats.err()).isZero();
    assertThat(stats.outLines()).hasSize(1);
    JsonNode group = JSON.readTree(stats.outLines().get(0));
    assertThat(group.path("key").asText()).contains(CardDeclinedException.class.getName());
    assertThat(group.path("count").asInt()).isEqualTo(2);

    Cli.Result replay = Cli.run("dlq", "replay", "payments.dlq", "-b", bootstrap);
    assertThat(replay.exit()).as(replay.err()).isZero();
    List<String> replayedIds =
        broker.readAll("payments", 5, DEADLINE).stream()
            .filter(r -> r.headers().lastHeader(BackstopHeaders.REPLAY_COUNT) != null)
            .peek(
                r ->
                    assertThat(
                            MessageHeaders.string(r.headers(), BackstopHeaders.REPLAY_COUNT)
                                .value())
                        .isEqualTo("1"))
            .map(r -> MessageHeaders.messageId(r.headers()).value().toString())
            .toList();
    assertThat(replayedIds).containsExactlyInAnyOrder(ids.get(1), ids.get(2));
  }

  private static List<String> send(KafkaBroker broker, String topic, List<String> values) {
    List<String> ids = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig())) {
      for (String value : values) {
        String id = MessageId.generate().toString();
        ids.add(id);
        RecordHeaders headers = new RecordHeaders();
        MessageHeaders.set(headers, BackstopHeaders.MESSAGE_ID, id);
        MessageHeaders.setLong(headers, BackstopHeaders.CREATED_AT, System.currentTimeMillis());
        producer.send(
            new ProducerRecord<>(
                topic, null, value.getBytes(UTF_8), value.getBytes(UTF_8), headers));
      }
      producer.flush();
    }
    return ids;
  }
}
