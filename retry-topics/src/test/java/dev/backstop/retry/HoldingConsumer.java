package dev.backstop.retry;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A service in key-order mode that runs until its process is killed: the child JVM of {@link
 * KeyOrderIT}. Every applied value is appended to a file, one per line; the value {@code K:1}
 * always fails, so its key stays held.
 *
 * <p>Arguments: bootstrap servers, topic, group, output file.
 */
public final class HoldingConsumer {
  /** Tiers long enough that a failing record is still retrying when a test moves on. */
  static final Duration[] TIERS = {
    Duration.ofSeconds(3),
    Duration.ofSeconds(3),
    Duration.ofSeconds(3),
    Duration.ofSeconds(3),
    Duration.ofSeconds(3),
    Duration.ofSeconds(3),
    Duration.ofSeconds(3),
    Duration.ofSeconds(3)
  };

  private HoldingConsumer() {}

  public static void main(String[] args) throws Exception {
    FileOutputStream out = new FileOutputStream(args[3], true);
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder()
            .groupId(args[2])
            .topics(args[1])
            .createTopics(true)
            .bootstrapServers(args[0])
            .preserveKeyOrder(true)
            .tiers(TIERS)
            .maxAge(Duration.ofMinutes(10))
            .set(ReliableConsumerConfig.COMMIT_INTERVAL.name(), "200ms")
            .pollTimeout(Duration.ofMillis(200))
            .kafka("session.timeout.ms", 6000)
            .kafka("heartbeat.interval.ms", 1000)
            .build();
    ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(
                record -> {
                  String value = new String(record.value(), StandardCharsets.UTF_8);
                  if (value.equals("K:1")) {
                    throw new IllegalStateException("K:1 fails here");
                  }
                  ChildJvm.appendLine(out, value);
                })
            .build();
    consumer.start();
    new CountDownLatch(1).await(); // until killed
  }
}
