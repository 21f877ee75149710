package dev.backstop.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyOrderTest {

  private final KeyOrder order =
      KeyOrder.committed(Map.of("k", List.of("a", "b", "c", "d"), "j", List.of("x", "y")));

  @Test
  void acceptsCommitOrderWithInOrderRepeatsOfARun() {
    assertThat(order.violations(read("k:a k:b j:x k:c k:b k:c k:d j:y j:x j:y"), true)).isEmpty();
  }

  @Test
  void rejectsANewerItemBeforeAnOlderOne() {
    // the reorder of a batch that expired while a later one was acknowledged: b, a
    assertThat(order.violations(read("k:b k:a k:c k:d"), false))
        .first()
        .asString()
        .contains("b (commit #1) after nothing");
  }

  @Test
  void rejectsANewItemAfterARepeatThatDidNotCatchUp() {
    // a, b, then a repeated, then c: a consumer that does not deduplicate saw a after b
    assertThat(order.violations(read("k:a k:b k:a k:c k:d"), false))
        .singleElement()
        .asString()
        .contains("c (commit #2) after a (#0) while the newest seen was b (#1)");
  }

  @Test
  void rejectsEndingOnAStaleItemAndMissingItemsWhenComplete() {
    assertThat(order.violations(read("k:a k:b k:c k:d k:c j:x"), true))
        .containsExactlyInAnyOrder(
            "key k: ends on c (#2), not on the newest", "key j: read up to x (#0) of 2 committed");
  }

  @Test
  void rejectsItemsNeverCommitted() {
    assertThatThrownBy(() -> order.check(read("k:a k:zz"), false))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("key k: zz was never committed");
  }

  private static List<KeyOrder.Consumed> read(String items) {
    return Arrays.stream(items.split(" "))
        .map(pair -> new KeyOrder.Consumed(pair.split(":")[0], pair.split(":")[1]))
        .toList();
  }
}
