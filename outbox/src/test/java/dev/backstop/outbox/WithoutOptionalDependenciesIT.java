package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.BackstopHeaders;
import dev.backstop.core.MessageHeaders;
import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The outbox without its optional dependencies, OpenTelemetry and Micrometer, on the class path: it
 * writes and relays as ever (with {@link OutboxMetrics#NONE}), passing a given {@code traceparent}
 * through, and an OpenTelemetry instance given anyway fails naming the missing artifact. Runs only
 * in the failsafe execution {@code without-optional-dependencies}, whose class path excludes {@code
 * io.opentelemetry:*} and {@code io.micrometer:*} (see this module's pom).
 */
@BackstopKafka
@BackstopDatabase
class WithoutOptionalDependenciesIT {
  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  @Test
  void theOutboxWritesAndRelaysWithoutOpenTelemetry(KafkaBroker broker, TestDatabase db) {
    assertThatThrownBy(() -> Class.forName("io.opentelemetry.api.OpenTelemetry"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
        .isInstanceOf(ClassNotFoundException.class);
    broker.createTopic("untraced", 1);
    OutboxConfig config =
        OutboxConfig.builder()
            .tablePrefix("nootel_")
            .autoCreateSchema(true)
            .kafka("bootstrap.servers", broker.bootstrapServers())
            .build();
    try (Outbox outbox =
            Outbox.builder(config).dataSource(db.dataSource()).metrics(OutboxMetrics.NONE).build();
        OutboxRelay relay = outbox.startRelay()) {
      Jdbi.create(db.dataSource())
          .useTransaction(
              h ->
                  outbox.send(
                      h,
                      OutboxMessage.of("untraced", "k", "v".getBytes(StandardCharsets.UTF_8))
                          .withTraceparent(TRACEPARENT)));
      assertThat(relay.relayId()).isNotEmpty();
      assertThat(broker.readAll("untraced", 1, Duration.ofSeconds(30)))
          .singleElement()
          .satisfies(
              r ->
                  assertThat(
                          MessageHeaders.string(r.headers(), BackstopHeaders.TRACEPARENT)
                              .orElse(null))
                      .isEqualTo(TRACEPARENT));
    }
    assertThatThrownBy(
            () ->
                Outbox.builder(config)
                    .dataSource(db.dataSource())
                    .openTelemetry(new Object())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("io.opentelemetry:opentelemetry-api");
  }
}
