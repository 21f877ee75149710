package dev.backstop.retry;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A service that runs a {@link ReliableConsumer} until its process is killed: the child JVM of
 * {@link CrashIT}. Every handled record is appended to a file as {@code partition offset}; a record
 * whose value is {@code stuck} never finishes.
 *
 * <p>Arguments: bootstrap servers, topic, group, output file.
 */
public final class CrashingConsumer {
  private CrashingConsumer() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    String group = args[2];
    FileOutputStream out = new FileOutputStream(args[3], true);
    CountDownLatch never = new CountDownLatch(1);
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder()
            .groupId(group)
            .topics(topic)
            .createTopics(true)
            .bootstrapServers(bootstrap)
            .concurrency(16)
            .set(ReliableConsumerConfig.COMMIT_INTERVAL.name(), "200ms")
            .pollTimeout(Duration.ofMillis(200))
            .kafka("session.timeout.ms", 6000)
            .kafka("heartbeat.interval.ms", 1000)
            .build();
    ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(
                record -> {
                  if ("stuck".equals(new String(record.value(), StandardCharsets.UTF_8))) {
                    never.await();
                  }
                  ChildJvm.appendLine(out, record.partition() + " " + record.offset());
                })
            .build();
    consumer.start();
    never.await(); // until killed
  }
}
