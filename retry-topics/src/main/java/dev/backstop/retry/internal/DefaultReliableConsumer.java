package dev.backstop.retry.internal;

import dev.backstop.core.Durations;
import dev.backstop.core.ErrorClassifier;
import dev.backstop.core.Health;
import dev.backstop.core.KafkaClientProperties;
import dev.backstop.core.RecordHandler;
import dev.backstop.core.Sleeper;
import dev.backstop.retry.Action;
import dev.backstop.retry.ConsumerMetrics;
import dev.backstop.retry.ErrorRule;
import dev.backstop.retry.ReliableConsumer;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.retry.RetryListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ReliableConsumer}: one consumer loop for the source topics and one per tier delay,
 * each with its own Kafka consumer, forward producer, poll thread and worker pool (a bulkhead),
 * sharing one circuit breaker that first deliveries feed. Thread-safe.
 */
public final class DefaultReliableConsumer<K, V> implements ReliableConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultReliableConsumer.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final int TIER_FETCH_MAX_WAIT_MS = 100;
  private static final int FORWARD_LINGER_MS = 5;
  private static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  private final ReliableConsumerConfig config;
  private final RecordProcessor.Wiring<K, V> wiring;
  private final int instance = INSTANCES.incrementAndGet();
  private final List<ConsumerLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final List<Producer<byte[], byte[]>> producers = new ArrayList<>();
  private final List<AutoCloseable> built = new ArrayList<>();
  private boolean started;
  private boolean closed;

  private DefaultReliableConsumer(
      ReliableConsumerConfig config, RecordProcessor.Wiring<K, V> wiring) {
    this.config = config;
    this.wiring = wiring;
  }

  /** Wires a consumer; nothing connects before {@link #start()}. */
  public static <K, V> ReliableConsumer create(
      ReliableConsumerConfig config,
      Deserializer<K> keyDeserializer,
      Deserializer<V> valueDeserializer,
      RecordHandler<K, V> handler,
      List<ErrorRule> rules,
      RetryListener listener,
      Clock clock,
      Sleeper sleeper,
      ConsumerMetrics consumerMetrics,
      Object openTelemetry) {
    List<ErrorRule> all = new ArrayList<>(rules);
    config.deadLetterOn().forEach(name -> all.add(ErrorRule.on(load(name), Action.DEAD_LETTER)));
    config.skipOn().forEach(name -> all.add(ErrorRule.on(load(name), Action.SKIP)));
    ErrorClassifier.Builder<ErrorRule> classifier = ErrorClassifier.builder();
    Set<Duration> delays = new TreeSet<>(config.tiers());
    for (ErrorRule rule : all) {
      classifier.on(rule.name(), rule.matches(), rule);
      delays.addAll(rule.tiers());
    }
    classifier.orElse(new ErrorRule("retry by default", t -> true, Action.RETRY, List.of()));
    TopicNames names =
        new TopicNames(
            config.groupId(),
            config.topics(),
            delays,
            config.topicTemplate(),
            config.dlqTopic(),
            config.heldTopic());
    RetryPlan plan =
        new RetryPlan(
            names,
            config.tiers(),
            config.maxAge(),
            config.jitter(),
            () -> ThreadLocalRandom.current().nextDouble());
    ConsumerMetrics metrics = consumerMetrics.forGroup(config.groupId());
    ConsumerTracing tracing = ConsumerTracing.of(openTelemetry, config.groupId());
    CircuitGate circuit = CircuitGate.create(config, clock);
    metrics.circuit(circuit::level);
    RecordProcessor.Wiring<K, V> wiring =
        new RecordProcessor.Wiring<>(
            config,
            keyDeserializer,
            valueDeserializer,
            handler,
            classifier.build(),
            plan,
            names,
            circuit,
            listener,
            metrics,
            tracing,
            clock,
            sleeper);
    return new DefaultReliableConsumer<>(config, wiring);
  }

  @Override
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException("a ReliableConsumer starts once; this one already did");
    }
    started = true;
    LOG.info("Starting the consumer of group {}:\n{}", config.groupId(), config.describe());
    try {
      try (Admin admin =
          Admin.create(withClientId(KafkaClientProperties.admin(config.kafka()), "admin"))) {
        TopicProvisioner.ensure(admin, config, wiring.names(), wiring.sleeper());
      }
      // each loop starts as soon as it is built: the main consumer joins its group while the tier
      // consumers are being built
      startLoop("main", config.groupId(), config.topics(), null);
      wiring
          .names()
          .tierTopicsByDelay()
          .forEach(
              (delay, topics) ->
                  startLoop(
                      "retry-" + Durations.format(delay),
                      wiring.names().tierGroup(delay),
                      topics,
                      delay));
    } catch (RuntimeException e) {
      abandonStart();
      throw e;
    }
  }

  /** A start failed: the loops already running stop at once, every client built is closed. */
  private void abandonStart() {
    closed = true;
    long now = System.nanoTime();
    loops.forEach(loop -> loop.stop(now));
    for (Thread thread : threads) {
      try {
        thread.join(CLOSE_GRACE.toMillis());
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    closeBuilt();
  }

  /** Closes the clients a failed start built and no stopped loop closed. */
  private void closeBuilt() {
    for (AutoCloseable client : built) {
      try {
        client.close();
      } catch (Exception e) {
        LOG.debug("Closing a client after a failed start: {}", e.toString());
      }
    }
    built.clear();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    loops.forEach(loop -> loop.stop(deadline));
    long joinUntil = deadline + CLOSE_GRACE.toNanos();
    for (Thread thread : threads) {
      try {
        thread.join(Math.max(1, (joinUntil - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (thread.isAlive()) {
        LOG.warn(
            "{} did not finish within the shutdown timeout; interrupting it", thread.getName());
        thread.interrupt();
      }
    }
    for (Producer<byte[], byte[]> producer : producers) {
      producer.close(Duration.ofNanos(Math.max(0, joinUntil - System.nanoTime())));
    }
    wiring.metrics().close();
    LOG.info("Closed the consumer of group {}", config.groupId());
  }

  @Override
  public Health health() {
    Health health;
    if (!started || closed) {
      health = Health.down(started ? "closed" : "not started");
    } else {
      health = Health.up("consuming " + config.topics());
      for (ConsumerLoop loop : loops) {
        if (loop.failure() != null || !loop.isRunning()) {
          health =
              Health.down(
                  "consumer "
                      + loop.name()
                      + " stopped"
                      + (loop.failure() == null ? "" : ": " + loop.failure()));
        }
      }
      for (ConsumerLoop loop : loops) {
        if (health.status() == Health.Status.UP && loop.forwardProblem() != null) {
          health = Health.degraded("broker refuses a forward: " + loop.forwardProblem());
        }
      }
      if (health.status() == Health.Status.UP && wiring.circuit().level() > 0) {
        health = Health.degraded("circuit " + wiring.circuit().state() + ": consumption paused");
      }
    }
    return health
        .withDetail("group", config.groupId())
        .withDetail("circuit", wiring.circuit().state());
  }

  private void startLoop(String role, String group, List<String> topics, Duration delay) {
    String name = "backstop-" + config.groupId() + "-" + role + "-" + instance;
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(name + "-forward"));
    producers.add(producer);
    built.add(producer);
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(consumerConfig(group, name, delay != null));
    built.add(consumer);
    Forwarder forwarder = new Forwarder(producer);
    HeldWriter writer =
        config.preservesKeyOrder()
            ? new HeldWriter(config.groupId(), wiring.names(), forwarder)
            : null;
    RecordProcessor<K, V> processor = new RecordProcessor<>(wiring, forwarder, writer);
    ConsumerLoop.Holding holding = null;
    KafkaConsumer<byte[], byte[]> reader = null;
    if (writer != null && delay == null) {
      reader = new KafkaConsumer<>(heldReaderConfig(name + "-held"));
      built.add(reader);
      holding =
          new ConsumerLoop.Holding(
              config.groupId(),
              new HeldKeys(config.groupId()),
              writer,
              new HeldReader(reader, wiring.names()),
              config.maxHeldRecords());
    }
    ConsumerLoop loop =
        new ConsumerLoop(
            name,
            consumer,
            topics,
            delay,
            processor,
            wiring.circuit(),
            wiring.metrics(),
            wiring.clock(),
            settings(),
            Workers.create(name + "-worker", config.concurrency()),
            holding);
    wiring.metrics().loop(role, loop::buffered, loop::inFlight);
    if (holding != null) {
      wiring.metrics().holding(loop::heldKeys, loop::heldRecords);
      built.remove(reader); // closed by the loop
    }
    Thread thread = new Thread(loop, name);
    loops.add(loop);
    threads.add(thread);
    built.remove(consumer); // the loop closes its consumer when it ends
    thread.start();
  }

  private ConsumerLoop.Settings settings() {
    return new ConsumerLoop.Settings(
        config.ordering(),
        config.concurrency(),
        config.maxBufferedRecords(),
        config.maxPollRecords(),
        config.pollTimeout(),
        config.commitInterval(),
        config.shutdownTimeout());
  }

  private Map<String, Object> consumerConfig(String group, String clientId, boolean tier) {
    Map<String, Object> props =
        withClientId(KafkaClientProperties.consumer(config.kafka()), clientId);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    // records of aborted transactions (a relay or a replay that was fenced or killed) are skipped
    props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    if (tier) {
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      // a long-poll fetch for idle partitions would delay the fetch of a partition just resumed
      props.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, TIER_FETCH_MAX_WAIT_MS);
    } else {
      props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    }
    return props;
  }

  /** The consumer of the held-keys topics: assigned partitions, no group, nothing committed. */
  private Map<String, Object> heldReaderConfig(String clientId) {
    Map<String, Object> props =
        withClientId(KafkaClientProperties.consumer(config.kafka()), clientId);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    return props;
  }

  /**
   * The forward producer: idempotent, {@code acks=all}, and bounded by the send timeout, so a
   * forward the wrapper gave up on is never delivered later beside the one it sends again.
   */
  private Map<String, Object> producerConfig(String clientId) {
    Map<String, Object> props =
        withClientId(KafkaClientProperties.producer(config.kafka()), clientId);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, FORWARD_LINGER_MS);
    long sendTimeout = config.sendTimeout().toMillis();
    props.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, sendTimeout));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeout);
    long linger = Long.parseLong(props.get(ProducerConfig.LINGER_MS_CONFIG).toString().trim());
    props.putIfAbsent(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        (int) Math.max(1, Math.min(DEFAULT_REQUEST_TIMEOUT_MS, sendTimeout - linger)));
    return props;
  }

  /** {@code props} with the client id {@code clientId}. */
  private static Map<String, Object> withClientId(Map<String, Object> props, String clientId) {
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    return props;
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends Throwable> load(String name) {
    try {
      return (Class<? extends Throwable>)
          Class.forName(name, false, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("validated exception class vanished: " + name, e);
    }
  }
}
