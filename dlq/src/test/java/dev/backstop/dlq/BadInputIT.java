package dev.backstop.dlq;

import static dev.backstop.dlq.Records.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 6: bad input exits 2 (usage) or 1 with a one-line reason, and sends nothing. */
@BackstopKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
  private final KafkaBroker broker;
  private final Fixtures fixtures;

  BadInputIT(KafkaBroker broker) {
    this.broker = broker;
    this.fixtures = new Fixtures(broker);
  }

  @BeforeAll
  void deadLetters() {
    broker.createTopic("bad.dlq", 1);
    broker.createTopic("bad.orders", 1);
    for (int i = 0; i < 3; i++) {
      fixtures.send(
          "bad.dlq",
          0,
          null,
          "k",
          utf8("v"),
          Fixtures.backstop(
              Fixtures.newMessageId(),
              "bad.orders",
              0,
              i,
              new IllegalStateException("x"),
              Instant.now()));
    }
  }

  private Cli.Result dlq(String... args) {
    return Cli.run(
        Cli.args(
            java.util.List.of("dlq"),
            Cli.args(java.util.List.of(args), "-b", broker.bootstrapServers())));
  }

  private static void assertOneLineError(Cli.Result result, int exit, String reason) {
    assertThat(result.exit()).as(result.err()).isEqualTo(exit);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines().findFirst().orElse("")).isEqualTo("backstop: " + reason);
  }

  @Test
  void malformedAddressIsAUsageError() {
    assertOneLineError(
        dlq("show", "bad.dlq/zero/1"),
        2,
        "Invalid address bad.dlq/zero/1: expected TOPIC/PARTITION/OFFSET with a partition and an offset of 0 or more, like orders.dlq/0/42");
  }

  @Test
  void missingRecordAndUnknownTopicFail() {
    assertOneLineError(
        dlq("show", "bad.dlq/0/99"),
        1,
        "No record at bad.dlq/0/99: partition 0 holds offsets 0 to 2 (older ones were deleted)");
    assertOneLineError(
        dlq("show", "bad.dlq/4/0"),
        1,
        "No record at bad.dlq/4/0: topic bad.dlq has partitions 0 to 0");
    assertOneLineError(
        dlq("list", "nope.dlq"),
        1,
        "Topic nope.dlq does not exist: check the name (topics are case-sensitive)");
    assertOneLineError(
        dlq("replay", "nope.dlq"),
        1,
        "Topic nope.dlq does not exist: check the name (topics are case-sensitive)");
    assertOneLineError(
        dlq("replay", "bad.dlq", "--to", "nope.target"),
        1,
        "Replay target refused: target topic nope.target does not exist");
    assertThat(fixtures.endOffsets("bad.orders")).isZero();
  }

  @Test
  void unreachableBrokerFailsWithinTheTimeout() {
    Cli.Result result = Cli.run("dlq", "list", "bad.dlq", "-b", "127.0.0.1:1", "--timeout", "2s");

    assertOneLineError(
        result,
        1,
        "Kafka at 127.0.0.1:1 did not answer within 2s (trying to describe topic bad.dlq): check"
            + " --bootstrap-server or kafka.bootstrap.servers, the network and the security settings");
  }

  @Test
  void invalidRatesAndConflictingFlagsAreUsageErrorsAndSendNothing() {
    assertOneLineError(
        dlq("replay", "bad.dlq", "--rate", "0/s"),
        2,
        "Invalid value 0/s for --rate: must be a positive number of records per second, like 1000/s");
    assertOneLineError(
        dlq("replay", "bad.dlq", "--from-offset", "1"),
        2,
        "--from-offset and --to-offset need --partition");
    Cli.Result range = dlq("replay", "bad.dlq", "--since", "1h", "--until", "2h");
    assertThat(range.exit()).isEqualTo(2);
    assertThat(range.err())
        .startsWith("backstop: Invalid time range: since ")
        .contains(" is after until ");
    assertOneLineError(
        dlq("replay", "bad.dlq", "--to", "not a topic"),
        2,
        "Invalid value not a topic for --to: must be original or a topic name (letters, digits, '.', '_', '-')");
    assertOneLineError(
        dlq("replay", "bad.dlq", "--max-replays", "-1"),
        2,
        "Invalid value -1 for --max-replays: must be at least 0");
    assertOneLineError(
        dlq("stats", "bad.dlq", "--by", "colour"),
        2,
        "Invalid value colour for --by: must be one of error, fingerprint, original-topic");
    assertOneLineError(
        dlq("show", "bad.dlq/0/0", "--max-bytes", "0"),
        2,
        "Invalid value 0 for --max-bytes: must be at least 1");
    assertOneLineError(
        dlq("list", "bad.dlq", "--limit", "0"), 2, "Invalid limit 0: must be at least 1");
    assertThat(fixtures.endOffsets("bad.orders")).isZero();
  }

  @Test
  void secretsNeverPrintEvenVerboseOrInErrors(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("client.properties");
    Files.writeString(
        config,
        "kafka.bootstrap.servers=127.0.0.1:1\n"
            + "kafka.security.protocol=SASL_PLAINTEXT\n"
            + "kafka.sasl.mechanism=PLAIN\n"
            + "kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"ops\" password=\"hunter2-secret\";\n"
            + "kafka.ssl.truststore.password=trust-me-secret\n"
            + "backstop.dlq.read.timeout=2s\n");

    Cli.Result result =
        Cli.run("dlq", "stats", "bad.dlq", "--config", config.toString(), "--verbose");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .contains("kafka.sasl.jaas.config = ****")
        .contains("kafka.ssl.truststore.password = ****")
        .contains("backstop: Kafka at 127.0.0.1:1 did not answer within 2s")
        .doesNotContain("hunter2")
        .doesNotContain("trust-me");
  }

  @Test
  void badConfigFileIsAUsageErrorNamingTheKey(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("client.properties");
    Files.writeString(
        config,
        "kafka.bootstrap.servers="
            + broker.bootstrapServers()
            + "\nbackstop.dlq.replay.max-replays=lots\n");

    Cli.Result result = Cli.run("dlq", "replay", "bad.dlq", "--config", config.toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err())
        .startsWith("backstop: Invalid value lots for backstop.dlq.replay.max-replays");
    assertThat(fixtures.endOffsets("bad.orders")).isZero();
  }
}
