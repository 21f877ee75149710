package dev.backstop.samples.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstop.core.RecordHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code payments} consumer's handler (the bean's name is the consumer's name). It runs in the
 * Spring transaction that claims the message id, so a redelivered order is never charged twice.
 * Orders over 10,000.00 are declined and end in {@code orders.dlq}. Thread-safe.
 */
@Component("payments")
public class PaymentHandler implements RecordHandler<String, String> {
  private static final long LIMIT_CENTS = 1_000_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcTemplate jdbc;

  public PaymentHandler(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void handle(ConsumerRecord<String, String> record) throws Exception {
    OrderPlaced order = JSON.readValue(record.value(), OrderPlaced.class);
    if (order.amountCents() > LIMIT_CENTS) {
      throw new PaymentDeclinedException(
          "order " + order.orderId() + " over the limit: " + order.amountCents() + " cents");
    }
    jdbc.update(
        "INSERT INTO payments (order_id, amount_cents) VALUES (?, ?)",
        order.orderId(),
        order.amountCents());
  }
}
