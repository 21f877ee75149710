package dev.backstop.reliability;

import dev.backstop.core.Health;
import dev.backstop.core.Sleeper;
import dev.backstop.idempotency.IdempotencyConfig;
import dev.backstop.idempotency.IdempotencyStore;
import dev.backstop.outbox.Outbox;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.outbox.OutboxMessage;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole path wired together (business transaction with an outbox row, relay process, Kafka,
 * consumer wrapper with the idempotent handler, tiers and DLQ) and the means to break each part.
 * Writes come from one thread; faults from another. Thread-safe for that use.
 */
final class Pipeline implements AutoCloseable {
  static final String TOPIC = "orders";
  static final String DLQ = TOPIC + ".dlq";
  static final String GROUP = "reliability";
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final RunOptions options;
  private final KafkaBroker broker;
  private final TestDatabase db;
  private final Jdbi jdbi;
  private final Sleeper sleeper;
  private final Workload workload;
  private final OutboxConfig outboxConfig;
  private final Outbox writer;
  private final ConsumerSide consumer;
  private final Map<FaultKind, Integer> injected = new EnumMap<>(FaultKind.class);
  private final Object swap = new Object();
  private volatile RelayProcess relay;
  private int incarnation;
  private int relayDeaths;
  private int consumerDeaths;

  Pipeline(RunOptions options, KafkaBroker broker, TestDatabase db, Sleeper sleeper) {
    this.options = options;
    this.broker = broker;
    this.db = db;
    this.jdbi = Jdbi.create(db.dataSource());
    this.sleeper = sleeper;
    this.workload = new Workload(options);
    int replication = Math.min(3, broker.brokerIds().size());
    // Durable topics, as production clusters run them: with unclean leader election a full-cluster
    // restart can elect a stale replica and drop acknowledged records, so it is off, and on three
    // brokers an acknowledged record is on two of them.
    Map<String, String> durable =
        Map.of(
            "min.insync.replicas",
            String.valueOf(Math.max(1, replication - 1)),
            "unclean.leader.election.enable",
            "false");
    for (String topic :
        List.of(TOPIC, TOPIC + ".retry.500ms", TOPIC + ".retry.2s", TOPIC + ".retry.8s", DLQ)) {
      broker.createTopic(topic, options.partitions(), durable);
    }
    jdbi.useHandle(
        h -> {
          h.execute(PipelineSql.CREATE_ORDERS);
          h.execute(PipelineSql.CREATE_EFFECTS);
          h.execute(PipelineSql.CREATE_KEYS);
          h.execute(PipelineSql.INSERT_KEYS, options.keys());
        });
    this.outboxConfig =
        OutboxConfig.builder()
            .tablePrefix("rel_")
            .lanes(16)
            .autoCreateSchema(true)
            .leaseDuration(Duration.ofSeconds(2))
            .set(OutboxConfig.POLL_INTERVAL_MAX, Duration.ofMillis(100))
            .set(OutboxConfig.BACKOFF_MAX, Duration.ofSeconds(1))
            .set(OutboxConfig.STATS_INTERVAL, Duration.ofMillis(500))
            .set(OutboxConfig.PUBLISH_TIMEOUT, Duration.ofSeconds(1))
            .kafka("bootstrap.servers", broker.bootstrapServers())
            .build();
    this.writer = Outbox.create(outboxConfig, db.dataSource());
    writer.installSchema();
    IdempotencyStore store =
        IdempotencyStore.create(
            IdempotencyConfig.builder()
                .group(GROUP)
                .tablePrefix("rel_")
                .autoCreateSchema(true)
                .build(),
            jdbi);
    ReliableConsumerConfig retry =
        ReliableConsumerConfig.builder()
            .groupId(GROUP)
            .topics(TOPIC)
            .createTopics(true)
            .set(ReliableConsumerConfig.REPLICATION_FACTOR.name(), String.valueOf(replication))
            .tiers(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(8))
            .jitter(0.1)
            .inPlaceAttempts(1, Duration.ofMillis(50))
            .circuit(50, 20, 10, Duration.ofSeconds(1))
            .pollTimeout(Duration.ofMillis(200))
            .set(ReliableConsumerConfig.SEND_TIMEOUT.name(), "10s")
            .set(ReliableConsumerConfig.SHUTDOWN_TIMEOUT.name(), "10s")
            .bootstrapServers(broker.bootstrapServers())
            .kafka("session.timeout.ms", 6000)
            .kafka("heartbeat.interval.ms", 1000)
            .build();
    this.consumer = new ConsumerSide(retry, workload, jdbi, store);
  }

  void start() {
    relay = RelayProcess.start(db, outboxConfig, ++incarnation);
    consumer.start();
  }

  ConsumerSide consumer() {
    return consumer;
  }

  Map<FaultKind, Integer> injected() {
    synchronized (injected) {
      return new EnumMap<>(injected);
    }
  }

  /**
   * Writes message {@code seq} with its business row in one transaction; retries when the database
   * connection broke, after checking whether the commit went through.
   */
  void write(long seq) throws InterruptedException {
    Workload.Kind kind = workload.kind(seq);
    String key = workload.key(seq);
    OutboxMessage message = OutboxMessage.of(TOPIC, key, workload.value(seq, kind));
    for (int attempt = 1; ; attempt++) {
      try {
        jdbi.useTransaction(
            h -> {
              String id = writer.send(h, message).toString();
              long keyCommit = h.select(PipelineSql.NEXT_KEY_COMMIT, key).mapTo(Long.class).one();
              h.execute(
                  PipelineSql.INSERT_ORDER,
                  seq,
                  id,
                  kind.name(),
                  System.currentTimeMillis(),
                  key,
                  keyCommit);
            });
        return;
      } catch (RuntimeException e) {
        if (committed(seq)) {
          return;
        }
        if (attempt >= 50) {
          throw e;
        }
        LOG.debug("write of order {} failed, retrying: {}", seq, e.toString());
        sleeper.sleep(Duration.ofMillis(100));
      }
    }
  }

  private boolean committed(long seq) throws InterruptedException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        return jdbi.withHandle(h -> h.select(PipelineSql.ORDER_EXISTS, seq).mapTo(Long.class).one())
            > 0;
      } catch (RuntimeException e) {
        sleeper.sleep(Duration.ofMillis(100));
      }
    }
    throw new IllegalStateException("database unreachable while checking order " + seq);
  }

  /** Injects one fault and waits until it is over (the pipeline may still be recovering). */
  void inject(FaultPlan.Fault fault) throws Exception {
    LOG.info("injecting {}", fault);
    switch (fault.kind()) {
      case RELAY_KILLED -> {
        synchronized (swap) {
          relay.kill(db.dataSource(), db);
          relay = RelayProcess.start(db, outboxConfig, ++incarnation);
        }
      }
      case CLUSTER_RESTARTED -> {
        broker.stop();
        sleeper.sleep(fault.duration());
        broker.restart();
      }
      case BROKER_KILLED -> {
        List<Integer> ids = new ArrayList<>(broker.brokerIds());
        ids.sort(null);
        int id = ids.get(fault.choice() % ids.size());
        broker.stopBroker(id);
        sleeper.sleep(fault.duration());
        broker.startBroker(id);
      }
      case DATABASE_CONNECTIONS_TERMINATED -> {
        for (int hit = 0; hit < 2; hit++) {
          terminateRelaySessions();
          db.terminateConnections();
          sleeper.sleep(fault.duration().dividedBy(2));
        }
      }
      case CONSUMER_KILLED_BEFORE_COMMIT -> {
        synchronized (swap) {
          killConsumer();
        }
      }
      case DEPENDENCY_OUTAGE -> {
        consumer.outage(true);
        sleeper.sleep(fault.duration().plusSeconds(1));
        consumer.outage(false);
      }
      case OFFSETS_RESET -> {
        synchronized (swap) {
          resetOffsets(50 + fault.choice() % 200);
        }
      }
    }
    synchronized (injected) {
      injected.merge(fault.kind(), 1, Integer::sum);
    }
  }

  /**
   * Restarts the relay or the consumer when it stopped on its own (health DOWN outside an injected
   * kill), as a process supervisor would, and counts it: a component that dies of a fault it should
   * survive is a bug, and the report says so.
   */
  void supervise() {
    synchronized (swap) {
      if (relay.relay().health().status() == Health.Status.DOWN) {
        relayDeaths++;
        LOG.error("the relay stopped on its own: {}", relay.relay().health().detail());
        relay.close();
        relay = RelayProcess.start(db, outboxConfig, ++incarnation);
      }
      Health health = consumer.health();
      if (health != null && health.status() == Health.Status.DOWN) {
        consumerDeaths++;
        LOG.error("the consumer stopped on its own: {}", health.detail());
        consumer.close();
        consumer.start();
      }
    }
  }

  int relayDeaths() {
    synchronized (swap) {
      return relayDeaths;
    }
  }

  int consumerDeaths() {
    synchronized (swap) {
      return consumerDeaths;
    }
  }

  private void killConsumer() throws InterruptedException {
    consumer.armCrash();
    boolean crashed =
        await(
            Duration.ofSeconds(60),
            () -> consumer.health() != null && consumer.health().status() == Health.Status.DOWN);
    consumer.disarmCrash();
    if (!crashed) {
      throw new IllegalStateException("the consumer did not crash: no record was handled in 60s");
    }
    consumer.close();
    consumer.start();
  }

  private void resetOffsets(int rewind) throws Exception {
    consumer.close();
    var admin = broker.admin();
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, OffsetAndMetadata> rewound = new HashMap<>();
    committed.forEach(
        (partition, offset) -> {
          if (partition.topic().equals(TOPIC) && offset != null) {
            rewound.put(partition, new OffsetAndMetadata(Math.max(0, offset.offset() - rewind)));
          }
        });
    for (int attempt = 1; ; attempt++) {
      try {
        admin.alterConsumerGroupOffsets(GROUP, rewound).all().get();
        break;
      } catch (java.util.concurrent.ExecutionException e) {
        if (attempt >= 30) {
          throw e;
        }
        sleeper.sleep(Duration.ofMillis(500)); // the group is still emptying after the close
      }
    }
    consumer.start();
  }

  private void terminateRelaySessions() throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        terminate(db.dataSource(), RelayProcess.applicationPrefix(db) + "%");
        return;
      } catch (SQLException e) {
        if (attempt >= 10) {
          throw e;
        }
        sleeper.sleep(Duration.ofMillis(100)); // a pooled session was cut by the previous hit
      }
    }
  }

  /** Polls {@code condition} every 50 ms until it holds or {@code limit} passed. */
  boolean await(Duration limit, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      sleeper.sleep(Duration.ofMillis(50));
    }
    return condition.getAsBoolean();
  }

  /**
   * True when nothing is pending in the outbox and every committed message was applied or
   * dead-lettered by this run's consumers.
   */
  boolean settled() {
    try {
      return jdbi.withHandle(
          h -> {
            long pending = h.select(PipelineSql.PENDING).mapTo(Long.class).one();
            long parked = h.select(PipelineSql.PARKED).mapTo(Long.class).one();
            long committed = h.select(PipelineSql.COMMITTED_COUNT).mapTo(Long.class).one();
            long applied = h.select(PipelineSql.APPLIED_DISTINCT).mapTo(Long.class).one();
            return pending == 0 && parked == 0 && applied + consumer.deadLettered() >= committed;
          });
    } catch (RuntimeException e) {
      return false; // a terminated connection; ask again
    }
  }

  /** Terminates the sessions whose application name is LIKE {@code pattern}. */
  static int terminate(DataSource admin, String pattern) throws SQLException {
    try (Connection connection = admin.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(PipelineSql.TERMINATE_BY_APPLICATION)) {
      statement.setString(1, pattern);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  @Override
  public void close() {
    consumer.close();
    RelayProcess current = relay;
    if (current != null) {
      current.close();
    }
    writer.close();
  }
}
