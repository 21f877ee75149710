package dev.backstop.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.samples.Invariants.OrderRow;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InvariantsTest {

  private static final String GOOD = "4242424242424242";
  private static final String DECLINED = "4000000000000002";
  private static final Set<String> DECLINED_CARDS = Set.of(DECLINED);

  @Test
  void holdWhenEveryOrderIsPaidOnceOrItsPoisonIsDeadLettered() {
    List<Invariant> result =
        Invariants.check(
            List.of(new OrderRow("o1", GOOD, 1), new OrderRow("o2", DECLINED, 0)),
            List.of("o2"),
            0,
            DECLINED_CARDS);

    assertThat(result).allMatch(Invariant::holds);
    assertThat(result.get(0).detail()).isEqualTo("2 orders: 1 paid once, 1 dead-lettered");
  }

  @Test
  void failWhenAnOrderIsLost() {
    List<Invariant> result =
        Invariants.check(List.of(new OrderRow("o1", GOOD, 0)), List.of(), 0, DECLINED_CARDS);

    assertThat(result.get(0).holds()).isFalse();
    assertThat(result.get(0).detail()).contains("o1 paid 0x, dead-lettered 0x");
  }

  @Test
  void failWhenAnOrderIsPaidTwice() {
    List<Invariant> result =
        Invariants.check(List.of(new OrderRow("o1", GOOD, 2)), List.of(), 1, DECLINED_CARDS);

    assertThat(result).extracting(Invariant::holds).containsExactly(false, true, false);
    assertThat(result.get(2).detail()).isEqualTo("1 payments beyond the first of an order");
  }

  @Test
  void failWhenAnOrderThatCouldBePaidIsDeadLettered() {
    List<Invariant> result =
        Invariants.check(List.of(new OrderRow("o1", GOOD, 0)), List.of("o1"), 0, DECLINED_CARDS);

    assertThat(result.get(0).holds()).isTrue();
    assertThat(result.get(1).holds()).isFalse();
    assertThat(result.get(1).detail())
        .isEqualTo("1 dead letters, 0 poison orders, 0 of them dead-lettered");
  }

  @Test
  void failWhenAPoisonOrderIsDeadLetteredTwice() {
    List<Invariant> result =
        Invariants.check(
            List.of(new OrderRow("o1", DECLINED, 0)), List.of("o1", "o1"), 0, DECLINED_CARDS);

    assertThat(result.get(0).holds()).isFalse();
    assertThat(result.get(1).holds()).isFalse();
  }

  @Test
  void failOnADeadLetterThatIsNoOrder() {
    List<Invariant> result = Invariants.check(List.of(), List.of("stranger"), 0, DECLINED_CARDS);

    assertThat(result.get(0).holds()).isFalse();
    assertThat(result.get(0).detail()).contains("dead letter stranger is no order");
  }
}
