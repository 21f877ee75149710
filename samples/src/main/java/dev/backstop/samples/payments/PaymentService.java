package dev.backstop.samples.payments;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.BackstopProperties;
import dev.backstop.core.ConfigException;
import dev.backstop.core.Health;
import dev.backstop.core.MessageHeaders;
import dev.backstop.core.RecordHandler;
import dev.backstop.idempotency.IdempotencyConfig;
import dev.backstop.idempotency.IdempotencyMetrics;
import dev.backstop.idempotency.IdempotencyStore;
import dev.backstop.idempotency.IdempotentHandler;
import dev.backstop.retry.ConsumerMetrics;
import dev.backstop.retry.ReliableConsumer;
import dev.backstop.retry.ReliableConsumerConfig;
import dev.backstop.samples.SampleProperties;
import dev.backstop.samples.SampleSql;
import dev.backstop.samples.orders.OrderPlaced;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.HdrHistogram.ConcurrentHistogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The payment service: consumes {@link OrderPlaced} events with the consumer wrapper ({@code
 * backstop-retry-topics}), applies each at most once per group with the idempotency decorator
 * ({@code backstop-idempotency}), and charges the {@link PaymentGateway}. A timeout or an outage is
 * retried through the tier topics (and an outage opens the circuit breaker, which pauses
 * consumption); a declined card goes to the dead-letter topic at once. Configured by {@code
 * payment-service.properties}.
 *
 * <p>Thread-safe: the handler runs on the wrapper's threads (one for the source topic, one per
 * tier); {@link #restart} and {@link #close} are called from one controlling thread.
 */
public final class PaymentService implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ReliableConsumerConfig config;
  private final RecordHandler<String, String> handler;
  private final PaymentGateway gateway;
  private final MeterRegistry registry;
  private final Clock clock;
  private final ConcurrentHistogram latencyMillis = new ConcurrentHistogram(3);
  private volatile ReliableConsumer consumer;

  private PaymentService(
      ReliableConsumerConfig config,
      Jdbi jdbi,
      IdempotencyStore store,
      PaymentGateway gateway,
      MeterRegistry registry,
      Clock clock) {
    this.config = config;
    this.gateway = gateway;
    this.registry = registry;
    this.clock = clock;
    // claim the message id, run pay(...) and commit, all in one transaction; duplicates skipped
    this.handler = IdempotentHandler.<String, String>builder(jdbi, store).transactional(this::pay);
  }

  /**
   * Creates the payments table and the idempotency table if missing, then starts consuming.
   *
   * @param registry receives the wrapper's and the idempotency store's metrics
   */
  public static PaymentService start(
      SampleProperties properties,
      DataSource dataSource,
      PaymentGateway gateway,
      MeterRegistry registry,
      Clock clock) {
    BackstopProperties backstop = properties.backstop();
    ReliableConsumerConfig config = ReliableConsumerConfig.from(backstop);
    IdempotencyConfig idempotency = IdempotencyConfig.from(backstop);
    if (!idempotency.group().equals(config.groupId())) {
      throw new ConfigException(
          List.of(
              "Invalid value "
                  + idempotency.group()
                  + " for backstop.idempotency.group: must equal backstop.consumer.group-id ("
                  + config.groupId()
                  + ")"));
    }
    // processed ids must outlive the longest time a record can come back through the tiers
    idempotency.requireRetentionCovers(config.longestRetryPath());
    Jdbi jdbi = Jdbi.create(dataSource);
    jdbi.useHandle(handle -> handle.execute(SampleSql.CREATE_PAYMENTS));
    IdempotencyStore store =
        IdempotencyStore.builder(idempotency, jdbi)
            .clock(clock)
            .metrics(IdempotencyMetrics.micrometer(registry))
            .build();
    PaymentService service = new PaymentService(config, jdbi, store, gateway, registry, clock);
    service.startConsumer();
    return service;
  }

  /** Runs inside the idempotency decorator's transaction: charge, record the payment, commit. */
  private void pay(Handle handle, ConsumerRecord<String, String> record) throws Exception {
    OrderPlaced order = JSON.readValue(record.value(), OrderPlaced.class);
    // the message id is the gateway's idempotency key: a retried charge is not charged twice
    String key = MessageHeaders.string(record.headers(), BackstopHeaders.MESSAGE_ID).orElse("");
    String chargeId = gateway.charge(key, order);
    handle.execute(SampleSql.INSERT_PAYMENT, order.orderId(), chargeId, order.amountCents());
    Instant created =
        MessageHeaders.instant(record.headers(), BackstopHeaders.CREATED_AT).orElse(null);
    if (created != null) {
      handle.afterCommit(() -> recordLatency(created));
    }
  }

  private void recordLatency(Instant created) {
    latencyMillis.recordValue(Math.max(0, Duration.between(created, clock.instant()).toMillis()));
  }

  private void startConsumer() {
    ReliableConsumer started =
        ReliableConsumer.builder(config)
            .deserializers(new StringDeserializer(), new StringDeserializer())
            .handler(handler)
            .metrics(ConsumerMetrics.micrometer(registry))
            .clock(clock)
            .build();
    started.start();
    consumer = started;
  }

  /**
   * Stops the consumer (finished work is committed, the group is left), runs {@code whileStopped},
   * and starts a new consumer in the same group: what a deployment does.
   */
  public void restart(Runnable whileStopped) {
    consumer.close();
    whileStopped.run();
    startConsumer();
  }

  /** The wrapper's health; its details carry {@code circuit} (CLOSED, OPEN, HALF_OPEN). */
  public Health health() {
    return consumer.health();
  }

  /** The consumer wrapper's configuration (group, topics, tiers, dead-letter topic). */
  public ReliableConsumerConfig config() {
    return config;
  }

  /**
   * End-to-end latency of applied payments at {@code percentile} (0–100): from the order's commit
   * ({@code backstop.created-at}) to the payment's commit.
   */
  public Duration latency(double percentile) {
    return Duration.ofMillis(latencyMillis.getValueAtPercentile(percentile));
  }

  /** Stops consuming; in-flight records finish and are committed. */
  @Override
  public void close() {
    consumer.close();
  }
}
