package dev.backstop.outbox.internal;

import dev.backstop.outbox.OutboxConfig;
import dev.backstop.outbox.OutboxException;
import dev.backstop.outbox.OutboxMetrics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Everything one outbox shares: configuration, data source, dialect, clock, the writer and the
 * relays started in this JVM (woken after local commits). It builds each relay and the relay's
 * Kafka clients. Thread-safe.
 */
public final class OutboxEngine {

  private final OutboxConfig config;
  private final DataSource dataSource;
  private final Dialect dialect;
  private final Clock clock;
  private final OutboxMetrics metrics;
  private final OutboxTracing tracing;
  private final OutboxWriter writer;
  private final ParkedStore parked;
  private final List<Relay> relays = new CopyOnWriteArrayList<>();

  public OutboxEngine(
      OutboxConfig config, DataSource dataSource, Clock clock, OutboxMetrics metrics) {
    this(config, dataSource, clock, metrics, null);
  }

  /**
   * @param openTelemetry an {@code io.opentelemetry.api.OpenTelemetry} to trace sends and
   *     publications with, or null for none
   */
  public OutboxEngine(
      OutboxConfig config,
      DataSource dataSource,
      Clock clock,
      OutboxMetrics metrics,
      Object openTelemetry) {
    this.tracing = OutboxTracing.of(openTelemetry);
    this.config = config;
    this.dataSource = dataSource;
    this.clock = clock;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.dialect = Dialect.of(dialectName(config, dataSource), config.tablePrefix());
    this.writer = new OutboxWriter(dialect, clock, config.lanes(), config.maxMessageBytes());
    this.parked = new ParkedStore(dataSource, dialect);
    if (config.get(OutboxConfig.AUTO_CREATE_SCHEMA)) {
      installSchema();
    }
  }

  private static String dialectName(OutboxConfig config, DataSource dataSource) {
    String configured = config.get(OutboxConfig.DIALECT);
    if (!"auto".equals(configured)) {
      return configured;
    }
    try (Connection connection = dataSource.getConnection()) {
      return connection.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      throw new OutboxException(
          "Could not detect the database of the outbox's DataSource (set backstop.outbox.dialect): "
              + e.getMessage(),
          e);
    }
  }

  /** How sends and publications are traced. */
  public OutboxTracing tracing() {
    return tracing;
  }

  /** Creates the tables (idempotent) with {@code backstop.outbox.lanes} lanes. */
  public void installSchema() {
    try {
      new SchemaInstaller(dataSource, dialect).install(config.lanes());
    } catch (SQLException e) {
      throw new OutboxException(
          "Could not install the outbox schema (prefix "
              + config.tablePrefix()
              + ", SQLState "
              + e.getSQLState()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /** Starts a relay named {@code relayId} (null: host name and a random suffix). */
  public Relay startRelay(String relayId, RelayHooks hooks) {
    String id = relayId != null && !relayId.isEmpty() ? relayId : defaultRelayId();
    Relay relay = newRelay(id, hooks);
    try {
      relay.start();
    } catch (SQLException e) {
      relay.kill();
      throw new OutboxException(
          "Could not start outbox relay "
              + id
              + ": is the schema installed (prefix "
              + config.tablePrefix()
              + ")? SQLState "
              + e.getSQLState()
              + ": "
              + e.getMessage(),
          e);
    }
    relays.add(relay);
    return relay;
  }

  private Relay newRelay(String relayId, RelayHooks hooks) {
    RelayClients clients = relayClients(relayId);
    try {
      return new Relay(this, relayId, clients, hooks);
    } catch (RuntimeException e) {
      clients.close();
      throw e;
    }
  }

  /** The Kafka clients of relay {@code relayId}. */
  private RelayClients relayClients(String relayId) {
    Map<String, Object> producerConfig = KafkaSettings.producer(config, relayId);
    RelayProducer producer =
        new RelayProducer(
            producerConfig,
            owner -> KafkaSettings.transactionalId(config, owner),
            KafkaProducer::new);
    Admin admin = Admin.create(KafkaSettings.admin(config, relayId));
    SizeGuard sizeGuard =
        new SizeGuard(
            admin,
            KafkaSettings.maxRequestSize(producerConfig),
            KafkaSettings.uncompressed(producerConfig),
            clock);
    return new RelayClients(
        producer, admin, sizeGuard, new Publisher(producer, sizeGuard, tracing));
  }

  private static String defaultRelayId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "relay";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Wakes every relay of this JVM. */
  public void wakeUp() {
    for (Relay relay : relays) {
      relay.wakeUp();
    }
  }

  /** Parked rows went back: relays re-read topic size limits. */
  public void requeued() {
    for (Relay relay : relays) {
      relay.invalidateLimits();
    }
  }

  void forget(Relay relay) {
    relays.remove(relay);
  }

  /** Closes every relay started here. */
  public void closeRelays() {
    for (Relay relay : relays) {
      relay.close();
    }
  }

  public OutboxConfig config() {
    return config;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Dialect dialect() {
    return dialect;
  }

  public Clock clock() {
    return clock;
  }

  public OutboxMetrics metrics() {
    return metrics;
  }

  public OutboxWriter writer() {
    return writer;
  }

  public ParkedStore parked() {
    return parked;
  }
}
