package dev.backstop.dlq;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter tools without OpenTelemetry on the class path. Runs only in the failsafe
 * execution {@code without-opentelemetry} (see this module's pom), beside {@link ReplayIT}, whose
 * command-line replays then run untraced.
 */
@BackstopKafka
class WithoutOpenTelemetryIT {

  @Test
  void theClassPathHasNoOpenTelemetry() {
    assertThatThrownBy(() -> Class.forName("io.opentelemetry.api.OpenTelemetry"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void anInstanceGivenWithoutTheApiFailsNamingTheArtifact(KafkaBroker broker) {
    DlqConfig config = DlqConfig.builder().bootstrapServers(broker.bootstrapServers()).build();
    assertThatThrownBy(() -> DeadLetters.builder(config).openTelemetry(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("io.opentelemetry:opentelemetry-api");
  }
}
