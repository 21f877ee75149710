package dev.backstop.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The short demo scenario against the in-JVM broker and the test kit's PostgreSQL: a burst, a
 * gateway outage, a forced redelivery and poison orders, then the invariants.
 */
@Tag("slow")
class DemoIT {

  @Test
  void shortScenarioPaysEveryOrderOnceOrDeadLettersItsPoison() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DemoSummary summary =
        Demo.parse("--short").run(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    String output = bytes.toString(StandardCharsets.UTF_8);
    System.out.print(output); // the run's story, for the CI log

    assertThat(summary.invariants())
        .as(output)
        .extracting(Invariant::name)
        .containsExactly(
            Invariants.EXACTLY_ONCE_OR_DEAD,
            Invariants.DEAD_EQUALS_POISON,
            Invariants.NO_DUPLICATES);
    assertThat(summary.invariants()).as(output).allMatch(Invariant::holds);
    assertThat(summary.phasesSettled()).as(output).isTrue();
    assertThat(summary.poisonOrders()).isEqualTo(3);
    assertThat(summary.deadLettered()).isEqualTo(summary.poisonOrders());
    assertThat(summary.processedOnce() + summary.deadLettered()).isEqualTo(summary.ordersCreated());
    assertThat(summary.duplicatesApplied()).isZero();
    // the redelivery phase delivered every order paid before it again, and none was applied
    assertThat(summary.duplicatesSkipped())
        .as(output)
        .isGreaterThanOrEqualTo(summary.ordersCreated() - 12);
    // the idempotent handler told the wrapper about each skip: counted as duplicates, not processed
    assertThat(summary.wrapperDuplicates()).as(output).isEqualTo(summary.duplicatesSkipped());
    assertThat(summary.circuitOpened()).as(output).isTrue();
    assertThat(summary.retriedPerTier()).as(output).containsKey("orders.retry.1s");
    assertThat(output)
        .contains("All invariants hold.")
        .contains("$ backstop dlq list orders.dlq")
        .contains("PaymentDeclinedException")
        .contains("3 dead letters in orders.dlq")
        .contains("dlq/bin/backstop dlq replay orders.dlq --bootstrap-server");
  }
}
