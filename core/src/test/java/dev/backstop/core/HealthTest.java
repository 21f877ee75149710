package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthTest {

  @Test
  void factoriesAndDetails() {
    Health h = Health.degraded("lagging").withDetail("lag", 42L).withDetail("last-error", null);

    assertThat(h.status()).isEqualTo(Health.Status.DEGRADED);
    assertThat(h.detail()).isEqualTo("lagging");
    assertThat(h.details()).containsEntry("lag", 42L).containsEntry("last-error", null);
    assertThat(Health.up(null).detail()).isEmpty();
    assertThat(Health.down("x").status()).isEqualTo(Health.Status.DOWN);
  }

  @Test
  void detailsAreACopyAndUnmodifiable() {
    Map<String, Object> source = new HashMap<>(Map.of("a", 1));
    Health h = new Health(Health.Status.UP, "", source);
    source.put("b", 2);

    assertThat(h.details()).containsOnlyKeys("a");
    assertThatThrownBy(() -> h.details().put("c", 3))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void systemSleeperReturnsAtOnceForZeroAndNegative() throws InterruptedException {
    Sleeper.system().sleep(Duration.ZERO);
    Sleeper.system().sleep(Duration.ofSeconds(-5));
    assertThat(Sleeper.system()).isNotNull();
  }
}
