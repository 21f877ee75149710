package dev.backstop.samples;

import dev.backstop.core.Sleeper;
import dev.backstop.samples.orders.OrderService;
import dev.backstop.samples.payments.PaymentGateway;
import dev.backstop.samples.payments.PaymentService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The demo's four phases: a burst of orders, a gateway outage, a forced redelivery, poison orders.
 * Each phase waits until every order is published and paid or dead-lettered. Runs on one thread
 * (the burst's writers aside); not thread-safe.
 */
final class Scenario {

  private static final Duration STEP = Duration.ofMillis(50);
  private static final String GOOD_CARD = "4242424242424242";
  private static final List<String> CUSTOMERS =
      List.of(
          "ada", "alan", "barbara", "edsger", "grace", "john", "katherine", "linus", "margaret");

  private final ScenarioPlan plan;
  private final OrderService orders;
  private final PaymentService payments;
  private final PaymentGateway gateway;
  private final String declinedCard;
  private final Monitor monitor;
  private final Dashboard dashboard;
  private final Infrastructure infrastructure;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Random random;
  private boolean allSettled = true;
  private boolean circuitOpened;
  private String lastCircuit = "CLOSED";
  private boolean gatewayWasDown;

  Scenario(
      ScenarioPlan plan,
      OrderService orders,
      PaymentService payments,
      PaymentGateway gateway,
      String declinedCard,
      Monitor monitor,
      Dashboard dashboard,
      Infrastructure infrastructure,
      Sleeper sleeper,
      Clock clock) {
    this.plan = plan;
    this.orders = orders;
    this.payments = payments;
    this.gateway = gateway;
    this.declinedCard = declinedCard;
    this.monitor = monitor;
    this.dashboard = dashboard;
    this.infrastructure = infrastructure;
    this.sleeper = sleeper;
    this.clock = clock;
    this.random = new Random(plan.seed());
  }

  /** Runs every phase. */
  void run() throws InterruptedException {
    infrastructure.awaitAssignment(
        payments.config().groupId(), payments.config().topics().get(0), sleeper, clock);
    burst();
    outage();
    if (plan.redelivery()) {
      redelivery();
    }
    poison();
  }

  boolean allSettled() {
    return allSettled;
  }

  boolean circuitOpened() {
    return circuitOpened;
  }

  private void burst() throws InterruptedException {
    dashboard.event(
        "▸ Phase 1/4 · burst: "
            + plan.burstOrders()
            + " orders at once. Each order and its outbox message commit in one transaction;"
            + " the relay publishes them.");
    dashboard.event(
        "  The gateway times out now and then: those payments wait in a retry tier and succeed"
            + " later.");
    ExecutorService writers = Executors.newFixedThreadPool(plan.burstWriters());
    try {
      List<CompletableFuture<Void>> placed = new ArrayList<>();
      for (int i = 0; i < plan.burstOrders(); i++) {
        String customer = customer();
        long amount = amount();
        placed.add(
            CompletableFuture.runAsync(
                () -> orders.placeOrder(customer, amount, GOOD_CARD), writers));
      }
      CompletableFuture<Void> all =
          CompletableFuture.allOf(placed.toArray(CompletableFuture[]::new));
      while (!all.isDone()) {
        pause();
      }
      all.join();
    } finally {
      writers.shutdown();
    }
    settle("burst");
  }

  private void outage() throws InterruptedException {
    dashboard.event(
        "▸ Phase 2/4 · gateway outage: the gateway refuses every charge for "
            + Dashboard.duration(plan.outageDuration())
            + " while orders keep coming at "
            + plan.outageOrderRate()
            + "/s.");
    dashboard.event(
        "  Watch the circuit open: consumption pauses instead of pushing every order toward the"
            + " dead-letter topic; a probe closes it once the gateway is back.");
    gateway.goDown(plan.outageDuration());
    gatewayWasDown = true;
    long count = (long) plan.outageOrderRate() * plan.outageOrderFlow().toMillis() / 1000;
    Instant start = clock.instant();
    for (long i = 0; i < count; i++) {
      Instant due = start.plusMillis(i * 1000 / plan.outageOrderRate());
      while (clock.instant().isBefore(due)) {
        pause();
      }
      orders.placeOrder(customer(), amount(), GOOD_CARD);
    }
    settle("outage");
  }

  private void redelivery() throws InterruptedException {
    String group = payments.config().groupId();
    String topic = payments.config().topics().get(0);
    dashboard.event(
        "▸ Phase 3/4 · forced redelivery: the payment service restarts, and the offsets of group "
            + group
            + " are reset to the beginning of "
            + topic
            + ".");
    long before = monitor.duplicates();
    long[] redelivered = new long[1];
    payments.restart(
        () -> redelivered[0] = infrastructure.rewindGroup(group, topic, sleeper, clock));
    dashboard.event(
        "  "
            + redelivered[0]
            + " already paid orders are delivered again; the idempotency store skips every one.");
    settle("redelivery", () -> monitor.duplicates() >= before + redelivered[0]);
  }

  private void poison() throws InterruptedException {
    dashboard.event(
        "▸ Phase 4/4 · poison orders: "
            + plan.poisonOrders()
            + " orders, "
            + plan.poisonDeclined()
            + " of them with a card the gateway declines for good.");
    dashboard.event(
        "  A decline is never retried: it goes straight to the dead-letter topic, with its error"
            + " in the headers.");
    int every = Math.max(1, plan.poisonOrders() / Math.max(1, plan.poisonDeclined()));
    int declined = 0;
    for (int i = 0; i < plan.poisonOrders(); i++) {
      boolean poison = declined < plan.poisonDeclined() && i % every == 0;
      declined += poison ? 1 : 0;
      orders.placeOrder(customer(), amount(), poison ? declinedCard : GOOD_CARD);
      pause(Duration.ZERO);
    }
    settle("poison");
  }

  private void settle(String phase) throws InterruptedException {
    settle(phase, () -> monitor.snapshot().settled());
  }

  private void settle(String phase, BooleanSupplier done) throws InterruptedException {
    Instant deadline = clock.instant().plus(plan.settleTimeout());
    while (!done.getAsBoolean()) {
      if (clock.instant().isAfter(deadline)) {
        allSettled = false;
        dashboard.event(
            "  ! phase "
                + phase
                + " did not settle within "
                + Dashboard.duration(plan.settleTimeout())
                + "; going on, the checks will tell");
        return;
      }
      pause();
    }
    dashboard.event("  ✓ " + phase + " settled at " + Dashboard.duration(monitor.elapsed()));
  }

  private void pause() throws InterruptedException {
    pause(STEP);
  }

  /** Notes circuit and gateway changes, refreshes the summary, then waits {@code step}. */
  private void pause(Duration step) throws InterruptedException {
    String circuit = monitor.circuit();
    if (!circuit.equals(lastCircuit)) {
      // HALF_OPEN follows OPEN only: on a busy machine the open spell can fall between two looks
      circuitOpened |= circuit.equals("OPEN") || circuit.equals("HALF_OPEN");
      dashboard.event("  circuit " + lastCircuit + " → " + circuit + explain(circuit));
      lastCircuit = circuit;
    }
    if (gatewayWasDown && !gateway.isDown()) {
      gatewayWasDown = false;
      dashboard.event("  the gateway is back");
    }
    dashboard.tick();
    if (!step.isZero()) {
      sleeper.sleep(step);
    }
  }

  private static String explain(String circuit) {
    return switch (circuit) {
      case "OPEN" -> ": consumption paused, the failing order is held, not forwarded";
      case "HALF_OPEN" -> ": one order goes through as a probe";
      case "CLOSED" -> ": consumption resumes";
      default -> "";
    };
  }

  private String customer() {
    return CUSTOMERS.get(random.nextInt(CUSTOMERS.size()));
  }

  private long amount() {
    return 500 + random.nextInt(24_500);
  }
}
