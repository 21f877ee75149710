package dev.backstop.samples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.backstop.core.Sleeper;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the demo runs on: a Kafka cluster (the test kit's in-JVM broker, or {@code
 * --bootstrap-server}) and a PostgreSQL schema (the test kit's: the local server or an embedded
 * one, dropped at the end; or a fresh schema in {@code --db}, kept for inspection). Against a real
 * cluster, topic names get a suffix of the run's start time so runs never see each other's records.
 * Thread-safe after {@link #start}.
 */
final class Infrastructure implements AutoCloseable {

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaBroker broker;
  private final TestDatabase testDatabase;
  private final HikariDataSource pool;
  private final Admin admin;
  private final String bootstrapServers;
  private final String kafkaSource;
  private final String databaseSource;
  private final String topicSuffix;

  private Infrastructure(
      KafkaBroker broker,
      TestDatabase testDatabase,
      HikariDataSource pool,
      String bootstrapServers,
      String kafkaSource,
      String databaseSource,
      String topicSuffix) {
    this.broker = broker;
    this.testDatabase = testDatabase;
    this.pool = pool;
    this.bootstrapServers = bootstrapServers;
    this.kafkaSource = kafkaSource;
    this.databaseSource = databaseSource;
    this.topicSuffix = topicSuffix;
    Map<String, Object> adminConfig = new HashMap<>();
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.admin = Admin.create(adminConfig);
  }

  /**
   * Starts or connects to Kafka and PostgreSQL.
   *
   * @param bootstrapServer a real cluster, or null for the in-JVM broker
   * @param dbUrl a real PostgreSQL ({@code jdbc:postgresql://…}), or null for the test kit's
   */
  static Infrastructure start(
      String bootstrapServer, String dbUrl, String dbUser, String dbPassword, Clock clock) {
    String run =
        DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")
            .withZone(ZoneOffset.UTC)
            .format(clock.instant());
    KafkaBroker broker = null;
    TestDatabase testDatabase = null;
    try {
      broker = bootstrapServer == null ? quietly(KafkaBroker::start) : null;
      String servers = broker == null ? bootstrapServer : broker.bootstrapServers();
      HikariConfig hikari = new HikariConfig();
      hikari.setPoolName("demo");
      hikari.setMaximumPoolSize(16);
      String databaseSource;
      if (dbUrl == null) {
        testDatabase = TestDatabase.create(TestDatabase.Kind.POSTGRESQL, "demo");
        hikari.setJdbcUrl(testDatabase.jdbcUrl());
        hikari.setUsername(emptyToNull(testDatabase.user()));
        hikari.setPassword(emptyToNull(testDatabase.password()));
        databaseSource =
            testDatabase.source() + ", schema " + testDatabase.schema() + " (dropped at the end)";
      } else {
        String schema = "backstop_demo_" + run;
        createSchema(dbUrl, dbUser, dbPassword, schema);
        hikari.setJdbcUrl(dbUrl);
        hikari.setUsername(dbUser);
        hikari.setPassword(dbPassword);
        hikari.setSchema(schema);
        databaseSource =
            dbUrl + ", schema " + schema + " (kept; DROP SCHEMA " + schema + " CASCADE when done)";
      }
      return new Infrastructure(
          broker,
          testDatabase,
          new HikariDataSource(hikari),
          servers,
          broker == null ? servers : servers + " (in-JVM broker, stops with the demo)",
          databaseSource,
          broker == null ? "-" + run.replace('_', '-') : "");
    } catch (RuntimeException e) {
      if (testDatabase != null) {
        testDatabase.close();
      }
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
  }

  /** Runs {@code start} with standard output muted (the broker prints its storage format). */
  private static <T> T quietly(java.util.function.Supplier<T> start) {
    PrintStream original = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
    try {
      return start.get();
    } finally {
      System.setOut(original);
    }
  }

  /** Whether Kafka lives in this JVM (and stops with it). */
  boolean inJvmBroker() {
    return broker != null;
  }

  private static String emptyToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }

  private static void createSchema(String url, String user, String password, String schema) {
    Properties credentials = new Properties();
    if (user != null) {
      credentials.setProperty("user", user);
    }
    if (password != null) {
      credentials.setProperty("password", password);
    }
    try (Connection connection = DriverManager.getConnection(url, credentials);
        Statement statement = connection.createStatement()) {
      statement.execute(String.format(SampleSql.CREATE_SCHEMA, schema));
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot create schema " + schema + " in " + url + ": " + e.getMessage(), e);
    }
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  DataSource dataSource() {
    return pool;
  }

  /** Where Kafka is, for the start-up lines. */
  String kafkaSource() {
    return kafkaSource;
  }

  /** Where the database is, for the start-up lines. */
  String databaseSource() {
    return databaseSource;
  }

  /** The name a topic gets in this run: {@code base}, plus the run's suffix on a real cluster. */
  String topicName(String base) {
    return base + topicSuffix;
  }

  /** Creates a topic and returns when every partition has a leader. */
  void createTopic(String name, int partitions) {
    if (broker != null) {
      broker.createTopic(name, partitions);
      return;
    }
    try {
      get(
          admin
              .createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())))
              .all());
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not create topic " + name + ": " + e.getCause(), e);
    }
  }

  /**
   * How many records a {@code read_committed} consumer reads between {@code from} and {@code to}:
   * fewer than the offsets between them, since the outbox relay publishes in transactions and each
   * commit marker takes an offset.
   */
  private long committedRecords(
      Map<TopicPartition, Long> from, Map<TopicPartition, Long> to, Instant deadline, Clock clock) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(from.keySet());
      from.forEach(consumer::seek);
      long records = 0;
      while (to.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        if (clock.instant().isAfter(deadline)) {
          throw new IllegalStateException("Could not count the records of " + from.keySet());
        }
        records += consumer.poll(Duration.ofMillis(200)).count();
      }
      return records;
    }
  }

  /**
   * Moves {@code group}'s committed offsets on {@code topic} back to the earliest records, once the
   * group has no members; returns how many records will be delivered again.
   */
  long rewindGroup(String group, String topic, Sleeper sleeper, Clock clock) {
    Instant deadline = clock.instant().plus(ADMIN_TIMEOUT);
    while (true) {
      try {
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions(topic); p++) {
          earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
          latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
            get(admin.listOffsets(earliest).all());
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
            get(admin.listOffsets(latest).all());
        Map<TopicPartition, OffsetAndMetadata> target = new HashMap<>();
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, Long> to = new HashMap<>();
        for (TopicPartition partition : starts.keySet()) {
          target.put(partition, new OffsetAndMetadata(starts.get(partition).offset()));
          from.put(partition, starts.get(partition).offset());
          to.put(partition, ends.get(partition).offset());
        }
        get(admin.alterConsumerGroupOffsets(group, target).all());
        return committedRecords(from, to, deadline, clock);
      } catch (ExecutionException e) {
        boolean membersLeft =
            e.getCause() instanceof UnknownMemberIdException
                || e.getCause() instanceof GroupNotEmptyException;
        if (!membersLeft || clock.instant().isAfter(deadline)) {
          throw new IllegalStateException(
              "Could not reset the offsets of group " + group + ": " + e.getCause(), e);
        }
        pause(sleeper);
      }
    }
  }

  /**
   * Waits until the members of {@code group} own every partition of {@code topic}, so the first
   * orders do not wait for the group to form.
   */
  void awaitAssignment(String group, String topic, Sleeper sleeper, Clock clock) {
    Instant deadline = clock.instant().plus(ADMIN_TIMEOUT);
    while (clock.instant().isBefore(deadline)) {
      try {
        long assigned =
            get(admin.describeConsumerGroups(List.of(group)).all()).get(group).members().stream()
                .flatMap(member -> member.assignment().topicPartitions().stream())
                .filter(partition -> partition.topic().equals(topic))
                .count();
        if (assigned == partitions(topic)) {
          return;
        }
      } catch (ExecutionException e) {
        // the group is not there yet: ask again
      }
      pause(sleeper);
    }
    throw new IllegalStateException(
        "Group "
            + group
            + " did not take every partition of "
            + topic
            + " within "
            + ADMIN_TIMEOUT);
  }

  private int partitions(String topic) throws ExecutionException {
    return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().size();
  }

  /** The future's value; a timeout or an interrupt becomes an unchecked failure. */
  private static <T> T get(KafkaFuture<T> future) throws ExecutionException {
    try {
      return future.get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer within " + ADMIN_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Kafka", e);
    }
  }

  private static void pause(Sleeper sleeper) {
    try {
      sleeper.sleep(Duration.ofMillis(200));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Kafka", e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
    pool.close();
    if (testDatabase != null) {
      testDatabase.close();
    }
    if (broker != null) {
      broker.close();
    }
  }
}
