package dev.backstop.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.awaitility.Awaitility;

/**
 * A real Kafka cluster (KRaft) running inside this JVM, built on Apache Kafka's own test kit.
 *
 * <p>One combined broker/controller node by default; {@link #start(int)} runs several brokers with
 * one controller, so a broker can be killed while the cluster stays up. The single-node settings
 * that make consumer groups and transactions work are applied (replication factor 1 for the
 * internal topics). Automatic topic creation is off: create topics with {@link #createTopic}.
 *
 * <p>Thread-safe. Close it to stop every node and delete its data.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaClusterTestKit cluster;
  private final String bootstrapServers;
  private final Admin admin;

  private KafkaBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
    this.bootstrapServers = cluster.bootstrapServers();
    Map<String, Object> adminConfig = new HashMap<>();
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    this.admin = Admin.create(adminConfig);
  }

  /** Starts one combined broker/controller node and waits until it serves requests. */
  public static KafkaBroker start() {
    return start(1);
  }

  /**
   * Starts {@code brokers} brokers (and one controller) and waits until they serve requests.
   *
   * @param brokers 1 for a single combined node, 3 for a cluster that survives a broker's death
   */
  public static KafkaBroker start(int brokers) {
    if (brokers < 1) {
      throw new IllegalArgumentException(
          "Invalid broker count " + brokers + ": must be at least 1");
    }
    int replication = Math.min(3, brokers);
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(brokers == 1)
            .setNumControllerNodes(1)
            .setNumBrokerNodes(brokers)
            .build();
    try {
      KafkaClusterTestKit cluster =
          new KafkaClusterTestKit.Builder(nodes)
              .setConfigProp("offsets.topic.replication.factor", String.valueOf(replication))
              .setConfigProp("offsets.topic.num.partitions", "5")
              .setConfigProp(
                  "transaction.state.log.replication.factor", String.valueOf(replication))
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("transaction.state.log.num.partitions", "5")
              .setConfigProp("min.insync.replicas", String.valueOf(replication >= 3 ? 2 : 1))
              .setConfigProp("default.replication.factor", String.valueOf(replication))
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .setConfigProp("auto.create.topics.enable", "false")
              .build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new KafkaBroker(cluster);
    } catch (Exception e) {
      throw new IllegalStateException("Could not start the in-JVM Kafka broker: " + e, e);
    }
  }

  /** The address clients connect to; unchanged across {@link #restart()}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** A shared admin client; do not close it. */
  public Admin admin() {
    return admin;
  }

  /** The ids of the brokers of this cluster. */
  public Set<Integer> brokerIds() {
    return new TreeSet<>(cluster.brokers().keySet());
  }

  /** Creates a topic with the given partitions and returns when every partition has a leader. */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  /** Creates a topic with topic-level configs (e.g. {@code max.message.bytes}). */
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    short replication = (short) Math.min(3, cluster.brokers().size());
    NewTopic topic = new NewTopic(name, partitions, replication).configs(configs);
    try {
      admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      awaitLeaders(name, partitions);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Could not create topic " + name + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + name, e);
    }
  }

  private void awaitLeaders(String topic, int partitions) {
    Awaitility.await("leaders for every partition of topic " + topic)
        .atMost(ADMIN_TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () -> {
              var description =
                  admin
                      .describeTopics(List.of(topic))
                      .allTopicNames()
                      .get(5, TimeUnit.SECONDS)
                      .get(topic);
              return description.partitions().size() == partitions
                  && description.partitions().stream().allMatch(p -> p.leader() != null);
            });
  }

  /** Producer settings: byte-array serializers, idempotence on, acks=all. */
  public Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return config;
  }

  /** Consumer settings: byte-array deserializers, earliest offset, no auto-commit. */
  public Map<String, Object> consumerConfig(String groupId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
  }

  /**
   * Reads a topic from the beginning, without a consumer group, until {@code expected} records
   * arrived.
   *
   * @throws AssertionError naming the topic and the counts when the deadline passes first
   */
  public List<ConsumerRecord<byte[], byte[]>> readAll(
      String topic, int expected, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> records =
        read(topic, timeout, false, (consumer, read) -> read.size() >= expected);
    if (records.size() < expected) {
      throw new AssertionError(
          "Expected "
              + expected
              + " records on topic "
              + topic
              + " within "
              + timeout
              + ", got "
              + records.size());
    }
    return records;
  }

  /** Reads every record of a topic up to its current end offsets. */
  public List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic, Duration timeout) {
    return readToEnd(topic, timeout, false);
  }

  /**
   * Reads a topic as a consumer at {@code isolation.level=read_committed} does, up to its current
   * last stable offsets: records of committed transactions and plain records, never those of
   * aborted or still open transactions.
   */
  public List<ConsumerRecord<byte[], byte[]>> readCommittedToEnd(String topic, Duration timeout) {
    return readToEnd(topic, timeout, true);
  }

  private List<ConsumerRecord<byte[], byte[]>> readToEnd(
      String topic, Duration timeout, boolean committed) {
    Map<TopicPartition, Long> end = new HashMap<>();
    AtomicBoolean complete = new AtomicBoolean();
    List<ConsumerRecord<byte[], byte[]>> records =
        read(
            topic,
            timeout,
            committed,
            (consumer, read) -> {
              if (end.isEmpty()) {
                end.putAll(consumer.endOffsets(consumer.assignment(), timeout));
              }
              complete.set(reached(consumer, end));
              return complete.get();
            });
    if (!complete.get()) {
      throw new AssertionError("Could not read topic " + topic + " to its end within " + timeout);
    }
    return records;
  }

  /**
   * Reads {@code topic} from the beginning, without a consumer group, until {@code done} says so or
   * the deadline passes.
   */
  private List<ConsumerRecord<byte[], byte[]>> read(
      String topic,
      Duration timeout,
      boolean committed,
      BiPredicate<KafkaConsumer<byte[], byte[]>, List<ConsumerRecord<byte[], byte[]>>> done) {
    Map<String, Object> config = consumerConfig("unused");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    if (committed) {
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Instant deadline = Instant.now().plus(timeout);
      while (!done.test(consumer, records) && Instant.now().isBefore(deadline)) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** Stops one broker (a crash from the clients' point of view); its data stays. */
  public void stopBroker(int id) {
    BrokerServer broker = broker(id);
    broker.shutdown();
    broker.awaitShutdown();
  }

  /** Starts a broker stopped by {@link #stopBroker(int)} on the same address. */
  public void startBroker(int id) {
    broker(id).startup();
    try {
      cluster.waitForReadyBrokers();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Broker " + id + " did not become ready: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting broker " + id, e);
    }
  }

  /** Stops every broker; the controller keeps running. */
  public void stop() {
    brokerIds().forEach(this::stopBroker);
  }

  /** Starts every broker again after {@link #stop()}. */
  public void restart() {
    brokerIds().forEach(id -> broker(id).startup());
    try {
      cluster.waitForReadyBrokers();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Brokers did not become ready: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while restarting brokers", e);
    }
  }

  private BrokerServer broker(int id) {
    BrokerServer broker = cluster.brokers().get(id);
    if (broker == null) {
      throw new IllegalArgumentException("No broker " + id + "; brokers are " + brokerIds());
    }
    return broker;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("Could not stop the in-JVM Kafka broker: " + e, e);
    }
  }
}
