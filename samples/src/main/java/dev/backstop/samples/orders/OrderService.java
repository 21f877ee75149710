package dev.backstop.samples.orders;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.ConfigDef;
import dev.backstop.core.ConfigKey;
import dev.backstop.core.ConfigValues;
import dev.backstop.core.Health;
import dev.backstop.outbox.JsonMessages;
import dev.backstop.outbox.Outbox;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.outbox.OutboxMetrics;
import dev.backstop.outbox.OutboxRelay;
import dev.backstop.samples.SampleProperties;
import dev.backstop.samples.SampleSql;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The order service: writes each new order with Jdbi and, in the same transaction, an outbox
 * message announcing it; a relay publishes the committed messages to Kafka. An order exists if and
 * only if its event is (or will be) published. Configured by {@code order-service.properties}.
 * Thread-safe: {@link #placeOrder} may be called from many threads.
 */
public final class OrderService implements AutoCloseable {

  /** Topic the order events are published to. */
  public static final ConfigKey<String> TOPIC =
      ConfigKey.string("sample.orders.topic", "orders", "topic the order events go to");

  /** Partitions of the topic when the demo creates it. */
  public static final ConfigKey<Integer> PARTITIONS =
      ConfigKey.integer("sample.orders.partitions", 3, "partitions of the orders topic").atLeast(1);

  static final ConfigDef DEFINITION =
      ConfigDef.builder("sample.orders.").define(TOPIC, PARTITIONS).build();

  private final Jdbi jdbi;
  private final Outbox outbox;
  private final OutboxRelay relay;
  private final JsonMessages json = JsonMessages.using(new ObjectMapper());
  private final String topic;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong created = new AtomicLong();

  private OrderService(Jdbi jdbi, Outbox outbox, OutboxRelay relay, String topic) {
    this.jdbi = jdbi;
    this.outbox = outbox;
    this.relay = relay;
    this.topic = topic;
  }

  /**
   * Creates the orders table if missing, opens the outbox on {@code dataSource} and starts its
   * relay.
   *
   * @param registry receives the outbox's metrics ({@code backstop.outbox.*})
   */
  public static OrderService start(
      SampleProperties properties, DataSource dataSource, MeterRegistry registry) {
    ConfigValues own = properties.parse(DEFINITION);
    OutboxConfig config = OutboxConfig.from(properties.backstop());
    Jdbi jdbi = Jdbi.create(dataSource);
    jdbi.useHandle(handle -> handle.execute(SampleSql.CREATE_ORDERS));
    Outbox outbox =
        Outbox.builder(config)
            .dataSource(dataSource)
            .metrics(OutboxMetrics.micrometer(registry))
            .build();
    try {
      return new OrderService(jdbi, outbox, outbox.startRelay(), own.get(TOPIC));
    } catch (RuntimeException e) {
      outbox.close();
      throw e;
    }
  }

  /** The topic and partitions named in the properties file. */
  public static ConfigValues topicSettings(SampleProperties properties) {
    return properties.parse(DEFINITION);
  }

  /**
   * Creates an order and its {@link OrderPlaced} event in one transaction; returns the order id. If
   * the transaction fails, neither exists.
   */
  public String placeOrder(String customer, long amountCents, String card) {
    String id = String.format("order-%05d", sequence.incrementAndGet());
    OrderPlaced event = new OrderPlaced(id, customer, amountCents, card);
    jdbi.useTransaction(
        handle -> {
          handle.execute(SampleSql.INSERT_ORDER, id, customer, amountCents, card);
          outbox.send(handle, json.message(topic, id, event)); // same transaction
        });
    created.incrementAndGet();
    return id;
  }

  /** Orders committed so far. */
  public long created() {
    return created.get();
  }

  /** The relay's health: UP while rows flow; DEGRADED when the backlog is old or Kafka fails. */
  public Health health() {
    return relay.health();
  }

  /** Stops the relay (it finishes its batch) and closes the outbox. */
  @Override
  public void close() {
    relay.close();
    outbox.close();
  }
}
