package dev.backstop.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.RecordHandler;
import dev.backstop.testkit.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Closing the context while records are in flight loses none: a second application of the same
 * group handles the rest, and the idempotent option applies each message exactly once.
 */
class ShutdownUnderLoadIT {
  private static final String TOPIC = "load.in";
  private static final int RECORDS = 1000;
  private static final TestDatabase DB = TestDatabase.postgres();

  @AfterAll
  static void dropSchema() {
    DB.close();
  }

  @Configuration(proxyBeanMethods = false)
  static class Handler {
    @Bean
    RecordHandler<String, String> load(JdbcTemplate jdbc) {
      return record -> jdbc.update("INSERT INTO handled (id) VALUES (?)", record.value());
    }
  }

  private static ConfigurableApplicationContext start() {
    Map<String, Object> properties =
        Map.of(
            "spring.kafka.bootstrap-servers",
            Infra.broker().bootstrapServers(),
            "spring.datasource.url",
            DB.jdbcUrl(),
            "spring.datasource.username",
            DB.user(),
            "spring.datasource.password",
            DB.password(),
            "backstop.outbox.enabled",
            "false",
            "backstop.consumers.load.topics",
            TOPIC,
            "backstop.consumers.load.idempotent",
            "true",
            "backstop.consumers.load.idempotency.auto-create-schema",
            "true",
            "backstop.consumers.load.retry.create-topics",
            "true",
            "backstop.consumers.load.kafka.max.poll.records",
            "50");
    return new SpringApplicationBuilder(TestApplication.class, Handler.class)
        .web(WebApplicationType.NONE)
        .properties(properties)
        .run();
  }

  @Test
  @SuppressWarnings("try") // the contexts are only closed
  void closingTheContextUnderLoadLosesNothing() throws Exception {
    Infra.broker().createTopic(TOPIC, 3);
    try (var connection = DB.dataSource().getConnection();
        var statement = connection.createStatement()) {
      statement.execute("CREATE TABLE handled (id TEXT NOT NULL)");
    }
    for (int i = 0; i < RECORDS; i++) {
      Infra.send(TOPIC, "key-" + (i % 17), "record-" + i);
    }
    JdbcTemplate jdbc = new JdbcTemplate(DB.dataSource());

    try (ConfigurableApplicationContext first = start()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> jdbc.queryForObject("SELECT count(*) FROM handled", Long.class) >= 100);
    } // closed while the rest is in flight
    long handledByFirst = jdbc.queryForObject("SELECT count(*) FROM handled", Long.class);

    try (ConfigurableApplicationContext second = start()) {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  jdbc.queryForObject("SELECT count(DISTINCT id) FROM handled", Long.class)
                      == RECORDS);
    }
    assertThat(jdbc.queryForObject("SELECT count(*) FROM handled", Long.class))
        .as("each message applied once (first run handled %d)", handledByFirst)
        .isEqualTo(RECORDS);
  }
}
