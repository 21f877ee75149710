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
 * The outbox without OpenTelemetry on the class path: it writes and relays as ever, passing a given
 * {@code traceparent} through, and an instance given anyway fails naming the missing artifact. Runs
 * only in the failsafe execution {@code without-opentelemetry}, whose class path excludes {@code
 * io.opentelemetry:*} (see this module's pom).
 */
@BackstopKafka
@BackstopDatabase
class WithoutOpenTelemetryIT {
  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  @Test
  void theOutboxWritesAndRelaysWithoutOpenTelemetry(KafkaBroker broker, TestDatabase db) {
    assertThatThrownBy(() -> Class.forName("io.opentelemetry.api.OpenTelemetry"))
        .isInstanceOf(ClassNotFoundException.class);
    broker.createTopic("untraced", 1);
    OutboxConfig config =
        OutboxConfig.builder()
            .tablePrefix("nootel_")
            .autoCreateSchema(true)
            .kafka("bootstrap.servers", broker.bootstrapServers())
            .build();
    try (Outbox outbox = Outbox.create(config, db.dataSource());
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
