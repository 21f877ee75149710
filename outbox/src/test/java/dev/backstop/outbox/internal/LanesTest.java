package dev.backstop.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LanesTest {

  @Test
  void aKeyAlwaysMapsToTheSameLane() {
    byte[] key = "order-42".getBytes(StandardCharsets.UTF_8);
    int lane = Lanes.laneOf(key, UUID.randomUUID(), 64);
    for (int i = 0; i < 10; i++) {
      assertThat(Lanes.laneOf(key.clone(), UUID.randomUUID(), 64)).isEqualTo(lane);
    }
  }

  @Test
  void keysSpreadOverEveryLane() {
    Set<Integer> lanes = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      int lane = Lanes.laneOf(("k" + i).getBytes(StandardCharsets.UTF_8), null, 16);
      assertThat(lane).isBetween(0, 15);
      lanes.add(lane);
    }
    assertThat(lanes).hasSize(16);
  }

  @Test
  void messagesWithoutKeySpreadByTheirId() {
    Set<Integer> lanes = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      lanes.add(Lanes.laneOf(null, UUID.randomUUID(), 8));
    }
    assertThat(lanes).hasSize(8).allSatisfy(lane -> assertThat(lane).isBetween(0, 7));
  }
}
