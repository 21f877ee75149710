package dev.backstop.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.backstop.outbox.OutboxMessage;
import dev.backstop.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Transactional;

@SpringBootTest(
    classes = TestApplication.class,
    properties = {"backstop.outbox.auto-create-schema=true", "backstop.outbox.lanes=4"})
@Import({OutboxTransactionIT.Orders.class, Infra.Schema.class})
@DirtiesContext // closes the context, and with it the schema, after the class
class OutboxTransactionIT {
  private static final String TOPIC = "tx.orders";
  private static final TestDatabase DB = TestDatabase.postgres();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    Infra.broker().createTopic(TOPIC, 2);
    Infra.register(registry, DB);
  }

  /** A service that writes an order and its event in one Spring transaction. */
  @Service
  static class Orders {
    private final JdbcTemplate jdbc;
    private final TransactionalOutbox outbox;

    Orders(JdbcTemplate jdbc, TransactionalOutbox outbox) {
      this.jdbc = jdbc;
      this.outbox = outbox;
    }

    @Transactional
    public void place(String customer, String order, boolean failAfterSend) {
      jdbc.update("INSERT INTO orders (id, customer) VALUES (?, ?)", order, customer);
      outbox.send(OutboxMessage.of(TOPIC, customer, order.getBytes(StandardCharsets.UTF_8)));
      if (failAfterSend) {
        throw new IllegalStateException("payment refused for " + order);
      }
    }
  }

  @Autowired Orders orders;
  @Autowired JdbcTemplate jdbc;
  @Autowired TransactionalOutbox outbox;

  @Test
  void rolledBackTransactionPublishesNothingAndCommittedOnePublishesOnce() {
    jdbc.execute("CREATE TABLE orders (id TEXT PRIMARY KEY, customer TEXT NOT NULL)");

    assertThatThrownBy(() -> orders.place("customer-7", "order-1", true))
        .hasMessage("payment refused for order-1");
    orders.place("customer-7", "order-2", false);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> jdbc.queryForObject("SELECT count(*) FROM backstop_outbox", Long.class) == 0);
    // the same key takes the same lane, in commit order: order-1 would come before order-2
    assertThat(Infra.readAll(TOPIC)).extracting(ConsumerRecord::value).containsExactly("order-2");
    assertThat(jdbc.queryForList("SELECT id FROM orders", String.class)).containsExactly("order-2");
  }

  @Test
  void sendOutsideATransactionFailsAndSaysWhy() {
    assertThatThrownBy(() -> outbox.send(OutboxMessage.of(TOPIC, "k", new byte[] {1})))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("outbox.send needs a Spring transaction");
  }
}
