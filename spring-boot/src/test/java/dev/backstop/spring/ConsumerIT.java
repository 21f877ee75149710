package dev.backstop.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.MessageId;
import dev.backstop.core.RecordHandler;
import dev.backstop.retry.RetryMetricNames;
import dev.backstop.testkit.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The consumer of {@code application-payments.yml}: tiers, dead letters, idempotent skip. */
@SpringBootTest(classes = {TestApplication.class, ConsumerIT.Handlers.class, Infra.Schema.class})
@ActiveProfiles("payments")
@DirtiesContext // closes the context, and with it the schema, after the class
class ConsumerIT {
  private static final String TOPIC = "payments.in";
  private static final TestDatabase DB = TestDatabase.postgres();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    Infra.broker().createTopic(TOPIC, 2);
    Infra.register(registry, DB);
    try (var connection = DB.dataSource().getConnection();
        var statement = connection.createStatement()) {
      statement.execute("CREATE TABLE payments (order_id TEXT NOT NULL)");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Refused for good: the rules send it to the dead-letter topic. */
  static final class PoisonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PoisonException(String message) {
      super(message);
    }
  }

  static final List<String> CALLS = new CopyOnWriteArrayList<>();
  static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

  @TestConfiguration
  static class Handlers {
    @Bean
    RecordHandler<String, String> paymentHandler(JdbcTemplate jdbc) {
      return record -> {
        CALLS.add(record.key() + "@" + record.topic());
        if (record.value().equals("poison")) {
          throw new PoisonException("cannot parse order " + record.key());
        }
        if (record.value().equals("flaky")
            && ATTEMPTS.computeIfAbsent(record.key(), k -> new AtomicInteger()).incrementAndGet()
                <= 2) {
          throw new IllegalStateException("gateway timeout for " + record.key());
        }
        jdbc.update("INSERT INTO payments (order_id) VALUES (?)", record.key());
      };
    }
  }

  @Autowired JdbcTemplate jdbc;
  @Autowired MeterRegistry meters;

  private long payments(String orderId) {
    return jdbc.queryForObject(
        "SELECT count(*) FROM payments WHERE order_id = ?", Long.class, orderId);
  }

  @Test
  void recordThatFailsTwiceGoesThroughBothTiersThenSucceeds() {
    Infra.send(TOPIC, "order-flaky", "flaky");

    await().atMost(Duration.ofSeconds(60)).until(() -> payments("order-flaky") == 1);
    assertThat(CALLS.stream().filter(c -> c.startsWith("order-flaky@")))
        .containsExactly(
            "order-flaky@payments.in",
            "order-flaky@payments.in.retry.200ms",
            "order-flaky@payments.in.retry.400ms");
  }

  @Test
  void poisonRecordEndsInTheDeadLetterTopic() {
    Infra.send(TOPIC, "order-poison", "poison");

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(Infra.readAll(TOPIC + ".dlq"))
                    .extracting(ConsumerRecord::key)
                    .contains("order-poison"));
    assertThat(payments("order-poison")).isZero();
  }

  @Test
  void redeliveredRecordIsSkippedInsideTheSpringTransaction() {
    String id = MessageId.generate().toString();
    Infra.send(TOPIC, "order-twice", "pay", id);
    Infra.send(TOPIC, "order-twice", "pay", id);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                meters.find(RetryMetricNames.DUPLICATES).counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum()
                    >= 1);
    assertThat(payments("order-twice")).isEqualTo(1);
    assertThat(CALLS.stream().filter(c -> c.startsWith("order-twice@"))).hasSize(1);
  }
}
