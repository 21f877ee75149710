package dev.backstop.samples.payments;

import dev.backstop.core.ConfigDef;
import dev.backstop.core.ConfigKey;
import dev.backstop.core.ConfigValues;
import dev.backstop.samples.SampleProperties;
import dev.backstop.samples.orders.OrderPlaced;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated payment gateway, in memory. It fails the way real ones do:
 *
 * <ul>
 *   <li><b>transiently</b>: a fixed share of charges time out on their first call, a smaller share
 *       on their first two (decided by the idempotency key, so a retry of the same charge
 *       eventually succeeds; calls refused during an outage count, so an order hit by both needs no
 *       more retries than either alone);
 *   <li><b>for a while</b>: {@link #goDown(Duration)} refuses every charge until the time is up;
 *   <li><b>for good</b>: cards listed in {@code sample.gateway.declined-cards} are always declined.
 * </ul>
 *
 * Like real gateways it takes an idempotency key: charging the same key twice returns the first
 * charge. Configured by the {@code sample.gateway.*} keys of {@code payment-service.properties}.
 * Thread-safe.
 */
public final class PaymentGateway {

  /** Percent of charges whose first attempt times out. */
  public static final ConfigKey<Integer> FAIL_ONCE_PERCENT =
      ConfigKey.integer(
              "sample.gateway.fail-once-percent", 10, "percent of charges that time out once")
          .between(0, 100);

  /** Percent of charges whose first two attempts time out (a part of the fail-once share). */
  public static final ConfigKey<Integer> FAIL_TWICE_PERCENT =
      ConfigKey.integer(
              "sample.gateway.fail-twice-percent", 3, "percent of charges that time out twice")
          .between(0, 100);

  /** Cards the gateway always declines. */
  public static final ConfigKey<List<String>> DECLINED_CARDS =
      ConfigKey.list(
          "sample.gateway.declined-cards",
          List.of("4000000000000002"),
          "cards that are always declined");

  static final ConfigDef DEFINITION =
      ConfigDef.builder("sample.gateway.")
          .define(FAIL_ONCE_PERCENT, FAIL_TWICE_PERCENT, DECLINED_CARDS)
          .check(
              FAIL_TWICE_PERCENT.name(),
              values -> values.get(FAIL_TWICE_PERCENT) <= values.get(FAIL_ONCE_PERCENT),
              "must be at most sample.gateway.fail-once-percent")
          .build();

  private final Clock clock;
  private final int failOncePercent;
  private final int failTwicePercent;
  private final List<String> declinedCards;
  private final ConcurrentMap<String, Integer> attempts = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, String> charges = new ConcurrentHashMap<>();
  private final AtomicLong chargeIds = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong declined = new AtomicLong();
  private volatile Instant downUntil = Instant.MIN;

  private PaymentGateway(ConfigValues values, Clock clock) {
    this.clock = clock;
    this.failOncePercent = values.get(FAIL_ONCE_PERCENT);
    this.failTwicePercent = values.get(FAIL_TWICE_PERCENT);
    this.declinedCards = List.copyOf(values.get(DECLINED_CARDS));
  }

  /** A gateway configured by the {@code sample.gateway.*} keys of {@code properties}. */
  public static PaymentGateway create(SampleProperties properties, Clock clock) {
    return new PaymentGateway(properties.parse(DEFINITION), clock);
  }

  /**
   * Charges {@code order}; returns the charge id. A second call with the same {@code
   * idempotencyKey} after a success returns the same charge id and charges nothing.
   *
   * @throws GatewayUnavailableException while the gateway is down
   * @throws PaymentDeclinedException for a declined card, on every attempt
   * @throws GatewayTimeoutException on the planned transient failures of this key
   */
  public String charge(String idempotencyKey, OrderPlaced order)
      throws GatewayUnavailableException, PaymentDeclinedException, GatewayTimeoutException {
    int attempt = attempts.merge(idempotencyKey, 1, Integer::sum);
    if (isDown()) {
      refused.incrementAndGet();
      throw new GatewayUnavailableException(
          "Payment gateway unavailable (HTTP 503) while charging " + order.orderId());
    }
    if (declinedCards.contains(order.card())) {
      declined.incrementAndGet();
      throw new PaymentDeclinedException(
          "Card ending "
              + order.card().substring(Math.max(0, order.card().length() - 4))
              + " declined for "
              + order.orderId()
              + " (do_not_honor): retrying cannot help");
    }
    if (attempt <= plannedTimeouts(idempotencyKey)) {
      timeouts.incrementAndGet();
      throw new GatewayTimeoutException(
          "Payment gateway timed out charging " + order.orderId() + " (attempt " + attempt + ")");
    }
    return charges.computeIfAbsent(idempotencyKey, key -> "ch_" + chargeIds.incrementAndGet());
  }

  private int plannedTimeouts(String idempotencyKey) {
    int bucket = Math.floorMod(idempotencyKey.hashCode(), 100);
    return bucket < failTwicePercent ? 2 : bucket < failOncePercent ? 1 : 0;
  }

  /** Refuses every charge for {@code duration} from now. */
  public void goDown(Duration duration) {
    downUntil = clock.instant().plus(duration);
  }

  /** Whether the gateway refuses charges now. */
  public boolean isDown() {
    return clock.instant().isBefore(downUntil);
  }

  /** How much longer it stays down; zero when up. */
  public Duration downFor() {
    Duration left = Duration.between(clock.instant(), downUntil);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Successful charges (distinct idempotency keys). */
  public long charges() {
    return charges.size();
  }

  /** Charges that timed out. */
  public long timeouts() {
    return timeouts.get();
  }

  /** Charges refused because the gateway was down. */
  public long refused() {
    return refused.get();
  }

  /** Charges declined for good. */
  public long declined() {
    return declined.get();
  }

  /** The cards the gateway always declines. */
  public List<String> declinedCards() {
    return declinedCards;
  }
}
