package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Core's test class path has no OpenTelemetry: this is the absent case. */
class TracingTest {

  @Test
  void reportsTheApiAbsent() {
    assertThat(Tracing.openTelemetryPresent()).isFalse();
  }

  @Test
  void anInstanceGivenWithoutTheApiFailsNamingTheArtifact() {
    assertThatThrownBy(() -> Tracing.requireOpenTelemetry(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("io.opentelemetry:opentelemetry-api");
  }

  @Test
  void namesSpansOperationThenDestination() {
    assertThat(Tracing.spanName("process", "orders")).isEqualTo("process orders");
  }
}
