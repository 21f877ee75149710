package dev.backstop.samples.boot;

import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * An order service and a payment service in one Spring Boot application: {@code POST /orders}
 * writes an order and its {@code OrderPlaced} event in one transaction through the outbox; the
 * {@code payments} consumer of {@code application.yml} charges it, idempotently, with retry tiers
 * and a dead-letter topic for declined payments. Without {@code --spring.kafka.bootstrap-servers}
 * it starts the test kit's in-JVM broker, and without {@code --spring.datasource.url} the test
 * kit's PostgreSQL schema; both stop with the application.
 */
@SpringBootApplication
public class SampleApplication {

  /** Starts the sample. */
  public static void main(String[] args) {
    List<String> arguments = new ArrayList<>(Arrays.asList(args));
    List<AutoCloseable> started = new ArrayList<>();
    if (arguments.stream().noneMatch(a -> a.startsWith("--spring.kafka.bootstrap-servers="))) {
      KafkaBroker broker = KafkaBroker.start();
      started.add(broker);
      broker.createTopic("orders", 3);
      arguments.add("--spring.kafka.bootstrap-servers=" + broker.bootstrapServers());
    }
    if (arguments.stream().noneMatch(a -> a.startsWith("--spring.datasource.url="))) {
      TestDatabase db = TestDatabase.postgres();
      started.add(db);
      arguments.add("--spring.datasource.url=" + db.jdbcUrl());
      if (!db.user().isEmpty()) {
        arguments.add("--spring.datasource.username=" + db.user());
      }
      arguments.add("--spring.datasource.password=" + db.password());
    }
    new SpringApplicationBuilder(SampleApplication.class)
        .initializers(
            context -> {
              // destroyed after the consumers and the relay stopped
              DefaultListableBeanFactory beans =
                  (DefaultListableBeanFactory) context.getBeanFactory();
              for (int i = 0; i < started.size(); i++) {
                beans.registerDisposableBean("sampleInfrastructure" + i, started.get(i)::close);
              }
            })
        .run(arguments.toArray(String[]::new));
  }
}
