package dev.backstop.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The quick start of docs/outbox.md, compiled and run. */
@BackstopKafka
@BackstopDatabase
class QuickStartIT {

  record OrderPlaced(String orderId, long totalCents) {}

  @Test
  void stampsIdAndCreationTimeAndPassesTraceparentThrough(KafkaBroker broker, TestDatabase db) {
    broker.createTopic("traced", 1);
    Jdbi jdbi = Jdbi.create(db.dataSource());
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    try (Outbox outbox = Outbox.create(Fixture.config(broker, "tr_").build(), db.dataSource())) {
      outbox.startRelay();
      dev.backstop.core.MessageId id =
          jdbi.inTransaction(
              h ->
                  outbox.send(
                      h,
                      OutboxMessage.of("traced", "k", Fixture.utf8("v"))
                          .withTraceparent(traceparent)
                          .withHeader("tenant", "acme")));
      org.apache.kafka.common.header.Headers headers =
          broker.readAll("traced", 1, Duration.ofSeconds(30)).get(0).headers();
      assertThat(dev.backstop.core.MessageHeaders.messageId(headers).value()).isEqualTo(id);
      assertThat(
              dev.backstop.core.MessageHeaders.instant(
                      headers, dev.backstop.core.BackstopHeaders.CREATED_AT)
                  .isPresent())
          .isTrue();
      assertThat(
              dev.backstop.core.MessageHeaders.string(
                      headers, dev.backstop.core.BackstopHeaders.TRACEPARENT)
                  .value())
          .isEqualTo(traceparent);
      assertThat(dev.backstop.core.MessageHeaders.string(headers, "tenant").value())
          .isEqualTo("acme");
    }
  }

  @Test
  void quickStartPublishesTheOrderEvent(KafkaBroker broker, TestDatabase db) {
    broker.createTopic("orders", 3);
    DataSource dataSource = db.dataSource();
    Properties properties = new Properties();
    properties.setProperty("backstop.outbox.auto-create-schema", "true");
    properties.setProperty("kafka.bootstrap.servers", broker.bootstrapServers());
    Jdbi jdbi = Jdbi.create(dataSource);
    jdbi.useHandle(h -> h.execute("CREATE TABLE orders (id TEXT PRIMARY KEY, total BIGINT)"));

    // --- quick start ---
    OutboxConfig config = OutboxConfig.from(properties);
    try (Outbox outbox = Outbox.create(config, dataSource)) {
      OutboxRelay relay = outbox.startRelay(); // publishes committed messages
      JsonMessages json = JsonMessages.using(new ObjectMapper());
      jdbi.useTransaction(
          handle -> {
            handle.execute("INSERT INTO orders (id, total) VALUES (?, ?)", "o-1", 4200);
            outbox.send(handle, json.message("orders", "o-1", new OrderPlaced("o-1", 4200)));
          }); // the message exists if and only if the order does
      // --- end ---
      assertThat(relay.relayId()).isNotEmpty();
      assertThat(broker.readAll("orders", 1, Duration.ofSeconds(30)))
          .singleElement()
          .satisfies(
              r ->
                  assertThat(Fixture.value(r))
                      .isEqualTo("{\"orderId\":\"o-1\",\"totalCents\":4200}"));
    }
  }
}
