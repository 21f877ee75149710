package dev.backstop.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

  @Test
  void theSameSeedGivesTheSamePlan() {
    RunOptions options =
        RunOptions.parse("--messages", "5000", "--seed", "9", "--fault-rounds", "3");
    assertThat(FaultPlan.of(options)).isEqualTo(FaultPlan.of(options));
    assertThat(FaultPlan.of(options))
        .isNotEqualTo(
            FaultPlan.of(
                RunOptions.parse(options.toArgs().replace("--seed 9", "--seed 10").split(" "))));
  }

  @Test
  void injectsEveryKindOncePerRoundInTheFirstNineTenthsInOrder() {
    RunOptions options = RunOptions.parse("--messages", "5000", "--fault-rounds", "4");
    FaultPlan plan = FaultPlan.of(options);
    for (FaultKind kind : FaultKind.values()) {
      assertThat(plan.faults().stream().filter(f -> f.kind() == kind)).hasSize(4);
    }
    assertThat(plan.faults())
        .allSatisfy(f -> assertThat(f.afterMessages()).isBetween(0, 4500))
        .isSortedAccordingTo((a, b) -> Integer.compare(a.afterMessages(), b.afterMessages()));
  }

  @Test
  void workloadIsAFunctionOfSeedAndSequence() {
    Workload a = new Workload(RunOptions.ci(3));
    Workload b = new Workload(RunOptions.ci(3));
    long poison = 0;
    for (long seq = 0; seq < 10_000; seq++) {
      assertThat(a.kind(seq)).isEqualTo(b.kind(seq));
      assertThat(a.transientFailures(seq)).isEqualTo(b.transientFailures(seq)).isBetween(0, 2);
      poison += a.kind(seq) == Workload.Kind.NORMAL ? 0 : 1;
      assertThat(
              Workload.seqOf(
                  new String(
                      a.value(seq, Workload.Kind.NORMAL), java.nio.charset.StandardCharsets.UTF_8)))
          .isEqualTo(seq);
    }
    assertThat(poison).isBetween(50L, 150L);
    assertThat(Arrays.asList(Workload.Kind.values())).hasSize(3);
  }
}
