package dev.backstop.benchmarks.consumer;

import dev.backstop.retry.Ordering;
import dev.backstop.retry.ReliableConsumer;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.testkit.KafkaBroker;
import java.util.Locale;

/** Backstop's {@link ReliableConsumer} at an ordering and a concurrency. */
record BackstopContender(Ordering ordering, int concurrency) implements Contender {

  @Override
  public String name() {
    return String.format(
        Locale.ROOT,
        "Backstop ReliableConsumer, %s order, concurrency %d",
        ordering.configName(),
        concurrency);
  }

  @Override
  public double run(KafkaBroker broker, String topic, String group, Work work) throws Exception {
    ReliableConsumerConfig config =
        ReliableConsumerConfig.builder()
            .groupId(group)
            .topics(topic)
            .ordering(ordering)
            .concurrency(concurrency)
            .circuitEnabled(Boolean.parseBoolean(System.getProperty("circuit", "true")))
            .createTopics(true)
            .bootstrapServers(broker.bootstrapServers())
            .build();
    long start = System.nanoTime();
    try (ReliableConsumer consumer =
        ReliableConsumer.builder(config)
            .handler(record -> work.handle(record.partition(), record.offset()))
            .build()) {
      consumer.start();
      if (!work.await(600)) {
        throw Contender.unfinished(name(), work);
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }
}
