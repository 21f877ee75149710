package dev.backstop.dlq.internal;

import dev.backstop.core.KafkaClientProperties;
import dev.backstop.dlq.BrokerUnavailableException;
import dev.backstop.dlq.DlqConfig;
import dev.backstop.dlq.DlqException;
import dev.backstop.dlq.UnknownTopicException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Creates the Kafka clients of the dead-letter tools from a {@link DlqConfig} and turns client
 * failures into {@link dev.backstop.dlq.DlqException}s with a clear, secret-free message. One per
 * {@link dev.backstop.dlq.DeadLetters}; thread-safe.
 */
public final class KafkaClients implements AutoCloseable {
  private final DlqConfig config;
  private final Admin admin;

  /** Connects lazily: creating the admin client does not wait for the cluster. */
  public KafkaClients(DlqConfig config) {
    this.config = config;
    Map<String, Object> props = withClientId(KafkaClientProperties.admin(config.kafka()));
    int millis = timeoutMillis();
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    this.admin = call("create an admin client", () -> Admin.create(props));
  }

  DlqConfig config() {
    return config;
  }

  Duration timeout() {
    return config.timeout();
  }

  /** The partition count of {@code topic}; {@link UnknownTopicException} when it does not exist. */
  public int partitions(String topic) {
    TopicDescription description =
        await(
            "describe topic " + topic,
            topic,
            () ->
                admin
                    .describeTopics(
                        List.of(topic), new DescribeTopicsOptions().timeoutMs(timeoutMillis()))
                    .allTopicNames()
                    .get(timeoutMillis() + 1000L, TimeUnit.MILLISECONDS)
                    .get(topic));
    return description.partitions().size();
  }

  /** Whether {@code topic} exists. */
  public boolean exists(String topic) {
    try {
      partitions(topic);
      return true;
    } catch (UnknownTopicException e) {
      return false;
    }
  }

  /**
   * A consumer without a group (reading) or with {@code groupId} (checkpoints, read committed);
   * never auto-commits.
   */
  KafkaConsumer<byte[], byte[]> consumer(String groupId) {
    Map<String, Object> props = withClientId(KafkaClientProperties.consumer(config.kafka()));
    if (groupId != null) {
      // committed offsets of a transaction still open are not read as the checkpoint
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis());
    props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    props.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    props.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
    if (groupId == null) {
      props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    } else {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    return call(
        "create a consumer",
        () -> new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
  }

  /**
   * A transactional producer with {@code transactionalId} that waits for every in-sync replica. The
   * id replaces any {@code kafka.transactional.id}: it names one replay.
   */
  KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
    Map<String, Object> props = withClientId(KafkaClientProperties.producer(config.kafka()));
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMillis());
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
    return call(
        "create a producer",
        () -> new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()));
  }

  /** Runs a client call, translating its failure. */
  <T> T call(String what, java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw unreachable(what, e);
    } catch (KafkaException e) {
      throw new DlqException(
          "Could not " + what + ": " + config.redact(String.valueOf(e.getMessage())), null);
    }
  }

  /** Waits on an admin future, translating its failure. */
  <T> T await(String what, String topic, Blocking<T> action) {
    try {
      return action.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UnknownTopicOrPartitionException && topic != null) {
        throw new UnknownTopicException(topic);
      }
      if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable(what, cause);
      }
      throw new DlqException(
          "Could not " + what + ": " + config.redact(String.valueOf(cause.getMessage())), null);
    } catch (java.util.concurrent.TimeoutException e) {
      throw unreachable(what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DlqException("Interrupted while waiting to " + what, e);
    }
  }

  /** A blocking call on a future. */
  @FunctionalInterface
  interface Blocking<T> {
    T get() throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException;
  }

  BrokerUnavailableException unreachable(String what, Throwable cause) {
    return new BrokerUnavailableException(
        "Kafka at "
            + config.redact(config.bootstrapServers())
            + " did not answer within "
            + dev.backstop.core.Durations.format(config.timeout())
            + " (trying to "
            + what
            + "): check --bootstrap-server or kafka.bootstrap.servers, the network and the"
            + " security settings",
        null);
  }

  private static Map<String, Object> withClientId(Map<String, Object> props) {
    props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "backstop-dlq");
    return props;
  }

  int timeoutMillis() {
    return (int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis());
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(1));
  }
}
