package dev.backstop.benchmarks.consumer;

import dev.backstop.testkit.KafkaBroker;
import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Confluent Parallel Consumer in key order at a maximum concurrency, defaults otherwise. */
record ParallelConsumerContender(int maxConcurrency) implements Contender {

  @Override
  public String name() {
    return "Confluent Parallel Consumer 0.5.3.3, key order, max concurrency " + maxConcurrency;
  }

  @Override
  public double run(KafkaBroker broker, String topic, String group, Work work) throws Exception {
    Map<String, Object> props = broker.consumerConfig(group);
    long start = System.nanoTime(); // the clients' construction counts, as for the others
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
    ParallelConsumerOptions<byte[], byte[]> options =
        ParallelConsumerOptions.<byte[], byte[]>builder()
            .ordering(ParallelConsumerOptions.ProcessingOrder.KEY)
            .maxConcurrency(maxConcurrency)
            .consumer(consumer)
            .build();
    ParallelStreamProcessor<byte[], byte[]> processor =
        ParallelStreamProcessor.createEosStreamProcessor(options);
    try {
      processor.subscribe(List.of(topic));
      processor.poll(
          context -> {
            var record = context.getSingleConsumerRecord();
            work.handle(record.partition(), record.offset());
          });
      if (!work.await(600)) {
        throw Contender.unfinished(name(), work);
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      processor.close();
    }
  }
}
