package dev.backstop.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.ConfigException;
import dev.backstop.core.Health;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.MessageId;
import dev.backstop.core.Sleeper;
import dev.backstop.dlq.ReplayListener;
import dev.backstop.dlq.cli.BackstopCommand;
import dev.backstop.dlq.cli.CliContext;
import dev.backstop.idempotency.IdempotencyConfig;
import dev.backstop.idempotency.IdempotencyStore;
import dev.backstop.outbox.InvalidOutboxMessageException;
import dev.backstop.outbox.Outbox;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.outbox.OutboxMessage;
import dev.backstop.outbox.OutboxRelay;
import dev.backstop.outbox.ParkedMessage;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The bad-input corpus, through every entry point: configuration of each module, the outbox write,
 * the consumer (records produced straight to the topic), the dead-letter CLI and the run's own
 * arguments. Each gets a clear error naming what was wrong, or a dead-letter entry; nothing good is
 * lost and nothing loops.
 */
@BackstopKafka
@BackstopDatabase
class BadInputIT {
  private static final String HUGE = "9".repeat(100_000);

  /** One row of the configuration corpus: a setting and what its error must name. */
  record ConfigCase(String name, Supplier<Object> build, String... mustName) {}

  @Test
  void hostileConfigurationFailsWithOneClearMessage() {
    List<ConfigCase> corpus =
        List.of(
            new ConfigCase(
                "SQL in the outbox table prefix",
                () -> outbox("backstop.outbox.table-prefix", "orders; DROP TABLE users; --"),
                "backstop.outbox.table-prefix",
                "SQL identifier"),
            new ConfigCase(
                "huge outbox batch size",
                () -> outbox("backstop.outbox.batch-size", HUGE),
                "backstop.outbox.batch-size"),
            new ConfigCase(
                "unknown outbox key",
                () -> outbox("backstop.outbox.bach-size", "10"),
                "backstop.outbox.bach-size",
                "backstop.outbox.batch-size"),
            new ConfigCase(
                "negative lease",
                () -> outbox("backstop.outbox.lease-duration", "-5s"),
                "backstop.outbox.lease-duration"),
            new ConfigCase(
                "SQL in the idempotency table prefix",
                () -> idempotency("backstop.idempotency.table-prefix", "x\"; DROP TABLE y; --"),
                "backstop.idempotency.table-prefix"),
            new ConfigCase(
                "unknown idempotency key",
                () -> idempotency("backstop.idempotency.retension", "7d"),
                "backstop.idempotency.retension"),
            new ConfigCase(
                "huge idempotency retention",
                () -> idempotency("backstop.idempotency.retention", HUGE + "d"),
                "backstop.idempotency.retention"),
            new ConfigCase(
                "tiers out of order",
                () -> retry("backstop.retry.tiers", "30s,1s"),
                "backstop.retry.tiers"),
            new ConfigCase(
                "jitter not a number",
                () -> retry("backstop.retry.jitter", "NaN"),
                "backstop.retry.jitter"),
            new ConfigCase(
                "unknown retry key",
                () -> retry("backstop.retry.tierz", "1s"),
                "backstop.retry.tierz"),
            new ConfigCase(
                "huge in-place attempts",
                () -> retry("backstop.retry.in-place-attempts", HUGE),
                "backstop.retry.in-place-attempts"));
    for (ConfigCase c : corpus) {
      assertThatThrownBy(() -> c.build().get())
          .as(c.name())
          .isInstanceOf(ConfigException.class)
          .satisfies(
              e -> {
                for (String name : c.mustName()) {
                  assertThat(e.getMessage()).as(c.name()).contains(name);
                }
              });
    }
  }

  @Test
  void badOutboxMessagesFailTheTransactionOrAreParkedAndNothingIsLost(
      KafkaBroker broker, TestDatabase db) {
    broker.createTopic("bad-out", 2);
    broker.createTopic("bad-small", 1, Map.of("max.message.bytes", "2000"));
    Jdbi jdbi = Jdbi.create(db.dataSource());
    jdbi.useHandle(h -> h.execute("CREATE TABLE bad_rows (id text PRIMARY KEY)"));
    OutboxConfig config =
        OutboxConfig.builder()
            .tablePrefix("bad_")
            .autoCreateSchema(true)
            .set(OutboxConfig.MAX_MESSAGE_BYTES, 100_000)
            .set(OutboxConfig.POLL_INTERVAL_MAX, Duration.ofMillis(100))
            .kafka("bootstrap.servers", broker.bootstrapServers())
            .build();
    try (Outbox outbox = Outbox.create(config, db.dataSource())) {
      OutboxRelay relay = outbox.startRelay();
      List<OutboxMessage> rejected =
          List.of(
              OutboxMessage.of("bad-out", "big", new byte[200_000]),
              OutboxMessage.of("orders/eu", "slash", bytes("x")),
              OutboxMessage.of("bad-out", "header", bytes("x"))
                  .withHeader("x-huge", "h".repeat(150_000)));
      for (OutboxMessage message : rejected) {
        assertThatThrownBy(
                () ->
                    jdbi.useTransaction(
                        h -> {
                          h.execute("INSERT INTO bad_rows VALUES (?)", key(message));
                          outbox.send(h, message);
                        }))
            .as("message with key %s", key(message))
            .isInstanceOf(InvalidOutboxMessageException.class)
            .hasMessageContaining(key(message));
      }
      long businessRows =
          jdbi.withHandle(h -> h.select("SELECT count(*) FROM bad_rows").mapTo(Long.class).one());
      assertThat(businessRows).as("the business rows rolled back with the bad messages").isZero();

      // null key and null value are valid (a tombstone); non-UTF-8 bytes are opaque to the outbox
      List<String> accepted = new ArrayList<>();
      jdbi.useTransaction(
          h -> {
            accepted.add(
                outbox.send(h, OutboxMessage.of("bad-out", (byte[]) null, null)).toString());
            accepted.add(
                outbox
                    .send(
                        h,
                        OutboxMessage.of(
                            "bad-out", new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3, 0x28}))
                    .toString());
          });
      // over the topic's limit but under the outbox's: parked with its key, others flow
      jdbi.useTransaction(
          h -> {
            outbox.send(h, OutboxMessage.of("bad-small", "fat", new byte[5_000]));
            outbox.send(h, OutboxMessage.of("bad-small", "fat", bytes("after the fat one")));
            accepted.add(
                outbox.send(h, OutboxMessage.of("bad-small", "thin", bytes("ok"))).toString());
          });
      await("parked").atMost(Duration.ofSeconds(60)).until(() -> outbox.parked(10).size() == 2);
      List<ParkedMessage> parked = outbox.parked(10);
      assertThat(parked).allSatisfy(p -> assertThat(p.reason()).isNotBlank());
      Set<String> published = ids(broker.readAll("bad-out", 2, Duration.ofSeconds(30)));
      published.addAll(ids(broker.readAll("bad-small", 1, Duration.ofSeconds(30))));
      assertThat(published).containsExactlyInAnyOrderElementsOf(accepted);
      assertThat(relay.health().status()).isNotEqualTo(Health.Status.DOWN);
    }
  }

  @Test
  void hostileRecordsEndInTheDeadLetterTopicAndTheConsumerKeepsGoing(
      KafkaBroker broker, TestDatabase db) throws Exception {
    String topic = "bad-in";
    broker.createTopic(topic, 1);
    Jdbi jdbi = Jdbi.create(db.dataSource());
    jdbi.useHandle(h -> h.execute(PipelineSql.CREATE_EFFECTS));
    IdempotencyStore store =
        IdempotencyStore.create(
            IdempotencyConfig.builder()
                .group("bad")
                .tablePrefix("bad_")
                .autoCreateSchema(true)
                .build(),
            jdbi);
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder()
            .groupId("bad")
            .topics(topic)
            .createTopics(true)
            .tiers(Duration.ofMillis(200))
            .circuitEnabled(false)
            .pollTimeout(Duration.ofMillis(200))
            .bootstrapServers(broker.bootstrapServers())
            .build();
    List<String> poisonIds = new ArrayList<>();
    List<String> goodIds = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig());
        ConsumerSide consumer =
            new ConsumerSide(config, new Workload(RunOptions.ci(1)), jdbi, store)) {
      consumer.start();
      // records the idempotency key cannot be read from: to the DLQ
      send(producer, topic, headers("order-42"), bytes("order:1"));
      send(producer, topic, headers(new byte[] {(byte) 0xC3, 0x28}), bytes("order:2"));
      send(producer, topic, headers((byte[]) null), bytes("order:3"));
      // a value the deserializer rejects, and a poison value with 100 KB of extra headers
      poisonIds.add(send(producer, topic, idHeaders(), new byte[] {(byte) 0xFE, (byte) 0xFF}));
      RecordHeaders fat = idHeaders();
      fat.add("x-fat", new byte[100_000]);
      poisonIds.add(send(producer, topic, fat, bytes("poison:9")));
      // good ones: a corrupt created-at, a null key and value, a plain one after all the bad ones
      RecordHeaders corruptCreated = idHeaders();
      corruptCreated.add(BackstopHeaders.CREATED_AT, bytes("yesterday"));
      goodIds.add(send(producer, topic, corruptCreated, bytes("order:4")));
      goodIds.add(sendNull(producer, topic, idHeaders()));
      goodIds.add(send(producer, topic, idHeaders(), bytes("order:5")));

      List<ConsumerRecord<byte[], byte[]>> dead =
          broker.readAll(topic + ".dlq", 5, Duration.ofSeconds(60));
      await("good records applied")
          .atMost(Duration.ofSeconds(60))
          .until(() -> applied(jdbi).containsAll(goodIds));
      assertThat(ids(dead)).containsAll(poisonIds);
      assertThat(dead)
          .allSatisfy(
              r ->
                  assertThat(
                          MessageHeaders.string(r.headers(), BackstopHeaders.ERROR_CLASS)
                              .isPresent())
                      .isTrue());
      assertThat(applied(jdbi)).doesNotContainAnyElementsOf(poisonIds);
      assertThat(consumer.health().status()).isEqualTo(Health.Status.UP);
      // the CLI decodes the hostile dead letters without failing
      Result list =
          cli("dlq", "list", topic + ".dlq", "-b", broker.bootstrapServers(), "--format", "json");
      assertThat(list.exit()).as(list.err()).isZero();
      assertThat(list.out().lines().count()).isGreaterThanOrEqualTo(5);
    }
  }

  @Test
  void cliArgumentsOutOfRangeAreUsageErrorsNamingTheOption(KafkaBroker broker) {
    broker.createTopic("cli.dlq", 1);
    String b = broker.bootstrapServers();
    record CliCase(String[] args, int exit, String mustName) {}
    List<CliCase> corpus =
        List.of(
            new CliCase(
                new String[] {"dlq", "list", "cli.dlq", "-b", b, "--limit", "-1"}, 2, "limit"),
            new CliCase(
                new String[] {"dlq", "list", "cli.dlq", "-b", b, "--limit", HUGE}, 2, "limit"),
            new CliCase(
                new String[] {"dlq", "list", "cli.dlq", "-b", b, "--since", "forever"},
                2,
                "--since"),
            new CliCase(
                new String[] {"dlq", "replay", "cli.dlq", "-b", b, "--rate", "0/s"}, 2, "rate"),
            new CliCase(new String[] {"dlq", "show", "cli.dlq/x/y", "-b", b}, 2, "cli.dlq/x/y"),
            new CliCase(
                new String[] {"dlq", "stats", "cli.dlq", "-b", b, "--by", "nonsense"}, 2, "by"),
            new CliCase(
                new String[] {"dlq", "list", "cli.dlq", "-b", b, "--timeout", "-1s"},
                2,
                "--timeout"),
            new CliCase(
                new String[] {"dlq", "list", "no-such-topic", "-b", b}, 1, "no-such-topic"));
    for (CliCase c : corpus) {
      Result result = cli(c.args());
      assertThat(result.exit())
          .as("%s: %s", String.join(" ", c.args()), result.err())
          .isEqualTo(c.exit());
      assertThat(result.err()).as(String.join(" ", c.args())).contains(c.mustName());
    }
  }

  @Test
  void runArgumentsOutOfRangeAreReportedTogether() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        LongRun.run(
            new String[] {
              "--messages", "0", "--write-rate", "abc", "--bogus", "1", "--poison-rate", "2"
            },
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--messages", "--write-rate", "--bogus", "--poison-rate");
  }

  private record Result(int exit, String out, String err) {}

  private static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line =
        BackstopCommand.commandLine(
            new CliContext(
                Clock.systemUTC(), Sleeper.system(), () -> false, ReplayListener.NONE, a -> {}));
    line.setOut(new PrintWriter(out));
    line.setErr(new PrintWriter(err));
    int exit = line.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private static Object outbox(String key, String value) {
    Properties properties = new Properties();
    properties.setProperty(key, value);
    properties.setProperty("kafka.bootstrap.servers", "localhost:9092");
    return OutboxConfig.from(properties);
  }

  private static Object idempotency(String key, String value) {
    Properties properties = new Properties();
    properties.setProperty("backstop.idempotency.group", "g");
    properties.setProperty(key, value);
    return IdempotencyConfig.from(properties);
  }

  private static Object retry(String key, String value) {
    return ReliableConsumerConfig.builder()
        .groupId("g")
        .topics("t")
        .bootstrapServers("localhost:9092")
        .set(key, value)
        .build();
  }

  private static Set<String> applied(Jdbi jdbi) {
    return jdbi.withHandle(
        h -> h.select("SELECT message_id FROM rel_effects").mapTo(String.class).set());
  }

  private static Set<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream()
        .map(r -> MessageHeaders.messageId(r.headers()))
        .filter(v -> v.isPresent())
        .map(v -> v.value().toString())
        .collect(Collectors.toSet());
  }

  private static RecordHeaders idHeaders() {
    return headers(MessageId.generate().toString());
  }

  private static RecordHeaders headers(String messageId) {
    return headers(bytes(messageId));
  }

  private static RecordHeaders headers(byte[] messageId) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(BackstopHeaders.MESSAGE_ID, messageId);
    return headers;
  }

  private static String send(
      KafkaProducer<byte[], byte[]> producer, String topic, RecordHeaders headers, byte[] value)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, null, bytes("k"), value, headers)).get();
    return MessageHeaders.messageId(headers).toOptional().map(Object::toString).orElse("");
  }

  private static String sendNull(
      KafkaProducer<byte[], byte[]> producer, String topic, RecordHeaders headers)
      throws Exception {
    producer.send(new ProducerRecord<byte[], byte[]>(topic, null, null, null, headers)).get();
    return MessageHeaders.messageId(headers).value().toString();
  }

  private static String key(OutboxMessage message) {
    return new String(message.key(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
