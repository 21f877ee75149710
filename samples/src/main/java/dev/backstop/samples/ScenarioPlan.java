package dev.backstop.samples;

import dev.backstop.core.ConfigDef;
import dev.backstop.core.ConfigKey;
import dev.backstop.core.ConfigValues;
import java.time.Duration;

/**
 * The demo's scenario, read from {@code demo.properties} (or {@code demo-short.properties}).
 * Immutable and thread-safe.
 *
 * @param burstOrders orders created at once in phase 1
 * @param burstWriters threads creating them
 * @param outageDuration how long the gateway refuses charges in phase 2
 * @param outageOrderRate orders per second during phase 2
 * @param outageOrderFlow how long orders keep coming from the start of the outage
 * @param redelivery whether phase 3 (forced redelivery) runs
 * @param poisonOrders orders created in phase 4
 * @param poisonDeclined how many of them carry a declined card
 * @param settleTimeout how long a phase may take to settle
 * @param refreshInterval how often the live summary is redrawn
 * @param seed seed for customer names and amounts
 */
public record ScenarioPlan(
    int burstOrders,
    int burstWriters,
    Duration outageDuration,
    int outageOrderRate,
    Duration outageOrderFlow,
    boolean redelivery,
    int poisonOrders,
    int poisonDeclined,
    Duration settleTimeout,
    Duration refreshInterval,
    long seed) {

  public static final ConfigKey<Integer> BURST_ORDERS =
      ConfigKey.integer("demo.burst.orders", 300, "orders created at once").atLeast(1);
  public static final ConfigKey<Integer> BURST_WRITERS =
      ConfigKey.integer("demo.burst.writers", 2, "threads creating them").between(1, 8);
  public static final ConfigKey<Duration> OUTAGE_DURATION =
      ConfigKey.duration("demo.outage.duration", Duration.ofSeconds(6), "gateway outage")
          .atLeast(Duration.ofSeconds(1));
  public static final ConfigKey<Integer> OUTAGE_ORDER_RATE =
      ConfigKey.integer("demo.outage.order-rate", 40, "orders per second during the outage")
          .between(1, 1000);
  public static final ConfigKey<Duration> OUTAGE_ORDER_FLOW =
      ConfigKey.duration("demo.outage.order-flow", Duration.ofSeconds(8), "how long they come")
          .atLeast(Duration.ofSeconds(1));
  public static final ConfigKey<Boolean> REDELIVERY =
      ConfigKey.bool("demo.redelivery.enabled", true, "run the forced redelivery");
  public static final ConfigKey<Integer> POISON_ORDERS =
      ConfigKey.integer("demo.poison.orders", 40, "orders of the poison phase").atLeast(1);
  public static final ConfigKey<Integer> POISON_DECLINED =
      ConfigKey.integer("demo.poison.declined", 5, "declined among them").atLeast(0);
  public static final ConfigKey<Duration> SETTLE_TIMEOUT =
      ConfigKey.duration("demo.settle-timeout", Duration.ofSeconds(40), "longest settling")
          .atLeast(Duration.ofSeconds(1));
  public static final ConfigKey<Duration> REFRESH_INTERVAL =
      ConfigKey.duration("demo.refresh-interval", Duration.ofSeconds(1), "summary refresh")
          .atLeast(Duration.ofMillis(100));
  public static final ConfigKey<Long> SEED = ConfigKey.longValue("demo.seed", 42L, "random seed");

  static final ConfigDef DEFINITION =
      ConfigDef.builder("demo.")
          .define(
              BURST_ORDERS,
              BURST_WRITERS,
              OUTAGE_DURATION,
              OUTAGE_ORDER_RATE,
              OUTAGE_ORDER_FLOW,
              REDELIVERY,
              POISON_ORDERS,
              POISON_DECLINED,
              SETTLE_TIMEOUT,
              REFRESH_INTERVAL,
              SEED)
          .check(
              POISON_DECLINED.name(),
              values -> values.get(POISON_DECLINED) <= values.get(POISON_ORDERS),
              "must be at most demo.poison.orders")
          .build();

  /** The plan in {@code properties}. */
  public static ScenarioPlan from(SampleProperties properties) {
    ConfigValues v = properties.parse(DEFINITION);
    return new ScenarioPlan(
        v.get(BURST_ORDERS),
        v.get(BURST_WRITERS),
        v.get(OUTAGE_DURATION),
        v.get(OUTAGE_ORDER_RATE),
        v.get(OUTAGE_ORDER_FLOW),
        v.get(REDELIVERY),
        v.get(POISON_ORDERS),
        v.get(POISON_DECLINED),
        v.get(SETTLE_TIMEOUT),
        v.get(REFRESH_INTERVAL),
        v.get(SEED));
  }
}
