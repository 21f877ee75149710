package dev.backstop.samples.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample on the real broker and database: a placed order gets paid; a declined one does not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationIT {
  private static final KafkaBroker BROKER = KafkaBroker.start();
  private static final TestDatabase DB = TestDatabase.postgres();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    BROKER.createTopic("orders", 3);
    registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
    registry.add("spring.datasource.url", DB::jdbcUrl);
    if (!DB.user().isEmpty()) {
      registry.add("spring.datasource.username", DB::user);
    }
    registry.add("spring.datasource.password", DB::password);
  }

  @LocalServerPort int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private String call(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void placedOrderIsPaidAndDeclinedOneIsNot() throws Exception {
    String paid =
        call("POST", "/orders?customer=ada&amountCents=1250")
            .replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    String declined =
        call("POST", "/orders?customer=bob&amountCents=5000000")
            .replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(call("GET", "/orders/" + paid)).contains("\"paid\":true"));
    assertThat(call("GET", "/orders/" + declined)).contains("\"paid\":false");
    assertThat(call("GET", "/actuator/health")).contains("backstopOutbox", "backstopConsumers");
  }
}
