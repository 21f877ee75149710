package dev.backstop.samples.boot;

import dev.backstop.outbox.JsonMessages;
import dev.backstop.spring.TransactionalOutbox;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Places orders: the row and its event commit together, or neither does. Thread-safe. */
@Service
public class OrderService {
  private final JdbcTemplate jdbc;
  private final TransactionalOutbox outbox;
  private final JsonMessages json;

  public OrderService(JdbcTemplate jdbc, TransactionalOutbox outbox, JsonMessages json) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.json = json;
  }

  /** Writes the order and its {@link OrderPlaced} event in one transaction; returns the id. */
  @Transactional
  public String place(String customer, long amountCents) {
    String id = UUID.randomUUID().toString();
    jdbc.update(
        "INSERT INTO orders (id, customer, amount_cents) VALUES (?, ?, ?)",
        id,
        customer,
        amountCents);
    outbox.send(json.message("orders", id, new OrderPlaced(id, customer, amountCents)));
    return id;
  }
}
