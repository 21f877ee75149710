package dev.backstop.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The CI-sized run: a few thousand messages through the whole path, every fault at least once. */
@Tag("slow")
@BackstopKafka(brokers = 3)
@BackstopDatabase
class FaultInjectionIT {

  @Test
  void losesNothingAndAppliesNothingTwiceUnderEveryFault(KafkaBroker broker, TestDatabase db)
      throws Exception {
    RunOptions options = RunOptions.ci(Long.getLong("reliability.seed", 42L));

    Report report = ReliabilityRun.run(options, broker, db, Duration.ofMinutes(2));

    assertThat(report.committed()).as("committed").isEqualTo(options.messages());
    assertThat(report.lost()).as("lost\n%s", report.toMarkdown()).isZero();
    assertThat(report.duplicates()).as("duplicates applied\n%s", report.toMarkdown()).isZero();
    assertThat(report.phantoms()).as("published without a commit").isZero();
    assertThat(report.deadLettered())
        .as("dead-lettered = poison\n%s", report.toMarkdown())
        .isEqualTo(report.poisonCommitted());
    assertThat(report.wronglyDeadLettered()).as("good messages dead-lettered").isZero();
    assertThat(report.poisonApplied()).as("poison applied").isZero();
    assertThat(report.relayDeaths()).as("relays that died on their own").isZero();
    assertThat(report.consumerDeaths()).as("consumers that died on their own").isZero();
    assertThat(report.poisonCommitted()).as("poison sent").isPositive();
    for (FaultKind kind : FaultKind.values()) {
      assertThat(report.faults().getOrDefault(kind, 0)).as("fault %s injected", kind).isPositive();
    }
    assertThat(report.handlerFailures()).as("transient handler failures").isPositive();
    assertThat(report.outageFailures()).as("calls failed by the outage").isPositive();
    assertThat(report.crashes()).as("consumer crashes after commit").isPositive();
    assertThat(report.publishedRecords()).isGreaterThanOrEqualTo(report.published());
    assertThat(report.holds()).isTrue();
  }
}
