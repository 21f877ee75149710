package dev.backstop.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.RecordHandler;
import dev.backstop.outbox.OutboxMessage;
import dev.backstop.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The actuator over real HTTP: the outbox DEGRADED while its oldest pending row is older than
 * degraded-after (its producer points at a port nobody listens on), a consumer DEGRADED while its
 * circuit is open.
 */
@SpringBootTest(
    classes = {TestApplication.class, HealthIT.Handlers.class, Infra.Schema.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=health",
      "management.endpoint.health.show-details=always",
      "backstop.outbox.auto-create-schema=true",
      "backstop.outbox.degraded-after=1s",
      "backstop.outbox.stats-interval=200ms",
      "backstop.outbox.kafka.bootstrap.servers=127.0.0.1:9",
      "backstop.outbox.kafka.max.block.ms=500",
      "backstop.consumers.failing.topics=health.in",
      "backstop.consumers.failing.handler=alwaysFails",
      "backstop.consumers.failing.circuit.window=4",
      "backstop.consumers.failing.circuit.minimum-calls=2",
      "backstop.consumers.failing.circuit.open-wait=10m",
      "backstop.consumers.failing.retry.tiers=10m",
      "backstop.consumers.failing.retry.create-topics=true"
    })
@DirtiesContext
class HealthIT {
  private static final TestDatabase DB = TestDatabase.postgres();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    Infra.broker().createTopic("health.in", 1);
    Infra.register(registry, DB);
  }

  @TestConfiguration
  static class Handlers {
    @Bean
    RecordHandler<String, String> alwaysFails() {
      return record -> {
        throw new IllegalStateException("payment gateway down for " + record.key());
      };
    }
  }

  @LocalServerPort int port;
  @Autowired TransactionalOutbox outbox;
  @Autowired TransactionTemplate transactions;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> health() throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void showsTheOutboxAndAConsumerDegradedOverHttp() throws Exception {
    transactions.executeWithoutResult(
        status -> outbox.send(OutboxMessage.of("health.out", "k", new byte[] {1})));
    for (int i = 0; i < 4; i++) {
      Infra.send("health.in", "order-" + i, "pay");
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              HttpResponse<String> response = health();
              JsonNode body = new ObjectMapper().readTree(response.body());
              assertThat(body.at("/components/backstopOutbox/status").asText())
                  .isEqualTo("DEGRADED");
              assertThat(
                      body.at("/components/backstopConsumers/components/failing/status").asText())
                  .isEqualTo("DEGRADED");
              assertThat(body.at("/status").asText()).isEqualTo("DEGRADED");
              assertThat(response.statusCode()).isEqualTo(200);
              assertThat(body.at("/components/backstopOutbox/details/oldestPendingAgeMs").asLong())
                  .isGreaterThanOrEqualTo(1000);
            });
  }
}
