package dev.backstop.dlq;

import static dev.backstop.dlq.Records.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --limit} across a failed run and its resumption, on a cluster that loses a broker; slow by
 * design: the first run waits out the send timeout of a stopped broker.
 */
@Tag("slow")
@BackstopKafka(brokers = 3)
class ReplayLimitIT {
  private final KafkaBroker broker;
  @TempDir Path dir;

  ReplayLimitIT(KafkaBroker broker) {
    this.broker = broker;
  }

  private String config(String name, String... extra) throws java.io.IOException {
    Path file = dir.resolve(name + ".properties");
    Files.writeString(
        file,
        "kafka.bootstrap.servers=" + broker.bootstrapServers() + "\n" + String.join("\n", extra));
    return file.toString();
  }

  /**
   * The first run stops behind one send that the target cannot take yet, with hundreds of sends
   * after it already through (so many gaps that the old checkpoint could not list them all): the
   * resumed run still replays exactly the limit, each record once.
   */
  @Test
  void aReplayStoppedBehindAStuckSendStillReplaysExactlyItsLimitOnResume() throws Exception {
    broker.createTopic("gaps.dlq", 1);
    broker.createTopic("gaps.orders", 1);
    // one replica, on a broker that is stopped: every send to it is retried until the timeout
    int stuckBroker = broker.brokerIds().stream().max(Integer::compare).orElseThrow();
    broker
        .admin()
        .createTopics(List.of(new NewTopic("gaps.stuck", Map.of(0, List.of(stuckBroker)))))
        .all()
        .get(30, TimeUnit.SECONDS);
    List<String> selectable = new ArrayList<>();
    try (Fixtures fixtures = new Fixtures(broker)) {
      for (int i = 0; i < 4000; i++) {
        String id = Fixtures.newMessageId();
        boolean selected = i % 2 == 0; // every other one is filtered out: the acks leave gaps
        if (selected) {
          selectable.add(id);
        }
        fixtures.sendAsync(
            "gaps.dlq",
            0,
            null,
            "k" + i,
            utf8("v" + i),
            Fixtures.backstop(
                id,
                i == 10 ? "gaps.stuck" : "gaps.orders",
                0,
                i,
                selected ? new IllegalStateException("x") : new IllegalArgumentException("y"),
                Instant.now()));
      }
      fixtures.flush();
      String[] args = {
        "dlq",
        "replay",
        "gaps.dlq",
        "--error-class",
        "IllegalStateException",
        "--limit",
        "1500",
        "--config",
        config(
            "gaps",
            "backstop.dlq.replay.max-in-flight=50",
            "kafka.delivery.timeout.ms=5000",
            "kafka.request.timeout.ms=2000")
      };

      broker.stopBroker(stuckBroker);
      Cli.Result first;
      try {
        first = Cli.run(ReplayResumeIT.stoppingAfter(900, new AtomicLong()), args);
      } finally {
        broker.startBroker(stuckBroker);
      }
      assertThat(first.exit()).as(first.err()).isEqualTo(1);

      Cli.Result resumed = Cli.run(args);

      assertThat(resumed.exit()).as(resumed.err()).isZero();
      List<String> delivered = new ArrayList<>(Fixtures.ids(fixtures.readCommitted("gaps.orders")));
      delivered.addAll(Fixtures.ids(fixtures.readCommitted("gaps.stuck")));
      assertThat(delivered)
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(selectable.subList(0, 1500));
    }
  }
}
