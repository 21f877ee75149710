package dev.backstop.outbox;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.backstop.core.MessageId;
import dev.backstop.outbox.internal.OutboxEngine;
import dev.backstop.outbox.internal.RelayHooks;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;

/**
 * The transactional outbox. {@link #send(Handle, OutboxMessage)} writes a message in the caller's
 * transaction; {@link #startRelay()} publishes committed messages to Kafka and deletes them after
 * the broker's ack. Thread-safe: one instance per database serves every thread.
 *
 * <pre>{@code
 * Outbox outbox = Outbox.create(OutboxConfig.from(properties), dataSource);
 * OutboxRelay relay = outbox.startRelay();
 * jdbi.useTransaction(handle -> {
 *   handle.execute("INSERT INTO orders (id, total) VALUES (?, ?)", orderId, total);
 *   outbox.send(handle, OutboxMessage.of("orders", orderId, json));
 * });
 * }</pre>
 */
public final class Outbox implements AutoCloseable {

  private final OutboxEngine engine;
  private final HikariDataSource ownedPool;

  private Outbox(OutboxEngine engine, HikariDataSource ownedPool) {
    this.engine = engine;
    this.ownedPool = ownedPool;
  }

  /** An outbox on the application's {@code dataSource}. */
  public static Outbox create(OutboxConfig config, DataSource dataSource) {
    return builder(config).dataSource(dataSource).build();
  }

  /** An outbox on a small HikariCP pool built from {@code backstop.outbox.jdbc-url} and friends. */
  public static Outbox create(OutboxConfig config) {
    return builder(config).build();
  }

  /** A builder for the optional parts: data source, clock, metrics, OpenTelemetry. */
  public static Builder builder(OutboxConfig config) {
    return new Builder(config);
  }

  /**
   * Writes {@code message} in {@code handle}'s transaction and returns its id. When the transaction
   * commits, the relays of this JVM are woken. Throws {@link InvalidOutboxMessageException} for a
   * message Kafka would never accept and {@link OutboxException} when the database refuses; either
   * way the caller's transaction should roll back.
   */
  public MessageId send(Handle handle, OutboxMessage message) {
    MessageId id = engine.writer().send(handle.getConnection(), engine.tracing().send(message));
    afterCommit(handle);
    return id;
  }

  /**
   * Writes several messages in {@code handle}'s transaction, ordered by the lane each is written to
   * (a key-less message's lane follows from its id, drawn first) so that concurrent transactions
   * lock lanes in the same order (no deadlock); messages of one key keep their order.
   */
  public List<MessageId> sendAll(Handle handle, List<OutboxMessage> messages) {
    List<Indexed> sorted = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      OutboxMessage message = engine.tracing().send(messages.get(i));
      engine.writer().validate(message);
      MessageId id = engine.writer().newId();
      sorted.add(new Indexed(i, message, id, engine.writer().laneOf(message, id)));
    }
    sorted.sort(Comparator.comparingInt(Indexed::lane).thenComparingInt(Indexed::index));
    MessageId[] ids = new MessageId[messages.size()];
    for (Indexed item : sorted) {
      ids[item.index()] = engine.writer().send(handle.getConnection(), item.message(), item.id());
    }
    afterCommit(handle);
    return List.of(ids);
  }

  private record Indexed(int index, OutboxMessage message, MessageId id, int lane) {}

  private void afterCommit(Handle handle) {
    if (handle.isInTransaction()) {
      handle.afterCommit(engine::wakeUp);
    } else {
      engine.wakeUp();
    }
  }

  /**
   * Writes {@code message} through a plain JDBC connection, in whatever transaction it is in. The
   * outbox cannot see that commit: call {@link #wakeUp()} after it for the lowest latency, or let
   * the relay's polling find the row.
   */
  public MessageId send(Connection connection, OutboxMessage message) {
    return engine.writer().send(connection, engine.tracing().send(message));
  }

  /** Wakes the relays of this JVM now (after a commit the outbox could not observe). */
  public void wakeUp() {
    engine.wakeUp();
  }

  /**
   * Starts a relay with the {@code kafka.*} settings of the configuration. Fails with {@link
   * OutboxException} when the schema is missing.
   */
  public OutboxRelay startRelay() {
    return engine.startRelay(engine.config().get(OutboxConfig.RELAY_ID), RelayHooks.NONE);
  }

  /** Up to {@code limit} parked messages, by lane and position. */
  public List<ParkedMessage> parked(int limit) {
    try {
      return engine.parked().list(limit);
    } catch (SQLException e) {
      throw failure("list parked messages", e);
    }
  }

  /**
   * Puts the parked messages of {@code message}'s key (or that message alone, without a key) back
   * in the outbox, in their original order; returns how many. Fix the cause first (raise the
   * topic's {@code max.message.bytes}, create the topic, grant access).
   */
  public int requeue(ParkedMessage message) {
    Objects.requireNonNull(message, "message");
    try {
      int moved = engine.parked().requeue(message);
      engine.requeued();
      return moved;
    } catch (SQLException e) {
      throw failure("requeue parked message " + message.messageId(), e);
    }
  }

  /** Requeues every parked message; returns how many. */
  public int requeueAll() {
    try {
      int moved = engine.parked().requeueAll();
      engine.requeued();
      return moved;
    } catch (SQLException e) {
      throw failure("requeue parked messages", e);
    }
  }

  /** Creates the outbox tables if missing (the SQL of {@code sql/<dialect>/V*__outbox.sql}). */
  public void installSchema() {
    engine.installSchema();
  }

  /** The configuration in use. */
  public OutboxConfig config() {
    return engine.config();
  }

  OutboxEngine engine() {
    return engine;
  }

  /** Closes the relays started here and the pool the outbox built (never a given DataSource). */
  @Override
  public void close() {
    engine.closeRelays();
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  private static OutboxException failure(String what, SQLException e) {
    return new OutboxException(
        "Could not " + what + " (SQLState " + e.getSQLState() + "): " + e.getMessage(), e);
  }

  /** Optional parts of an outbox. Not thread-safe. */
  public static final class Builder {

    private final OutboxConfig config;
    private DataSource dataSource;
    private Clock clock = Clock.systemUTC();
    private OutboxMetrics metrics = OutboxMetrics.NONE;
    private Object openTelemetry;

    private Builder(OutboxConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The application's data source; without one, a pool is built from the JDBC keys. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = dataSource;
      return this;
    }

    /** The clock for message ids, creation times and leases. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where the relay's metrics go, for example {@code OutboxMetrics.micrometer(registry)}; none by
     * default.
     */
    public Builder metrics(OutboxMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * An {@code io.opentelemetry.api.OpenTelemetry} (typed Object so OpenTelemetry stays optional):
     * each send is a {@code send <topic>} span whose context the row keeps as its {@code
     * traceparent}, and each publication a {@code publish <topic>} span, its child, whose context
     * the record carries.
     */
    public Builder openTelemetry(Object openTelemetry) {
      this.openTelemetry = openTelemetry;
      return this;
    }

    public Outbox build() {
      HikariDataSource pool = dataSource == null ? pool(config) : null;
      try {
        return new Outbox(
            new OutboxEngine(
                config, dataSource == null ? pool : dataSource, clock, metrics, openTelemetry),
            pool);
      } catch (RuntimeException e) {
        if (pool != null) {
          pool.close();
        }
        throw e;
      }
    }

    private static HikariDataSource pool(OutboxConfig config) {
      String url = config.get(OutboxConfig.JDBC_URL);
      if (url.isEmpty()) {
        throw new OutboxException(
            "Missing value for "
                + OutboxConfig.JDBC_URL.name()
                + ": required when no DataSource is given");
      }
      HikariConfig hikari = new HikariConfig();
      hikari.setPoolName("backstop-outbox");
      hikari.setJdbcUrl(url);
      hikari.setUsername(config.get(OutboxConfig.JDBC_USER));
      hikari.setPassword(config.get(OutboxConfig.JDBC_PASSWORD));
      hikari.setMaximumPoolSize(config.get(OutboxConfig.POOL_SIZE));
      hikari.setMinimumIdle(1);
      return new HikariDataSource(hikari);
    }
  }
}
