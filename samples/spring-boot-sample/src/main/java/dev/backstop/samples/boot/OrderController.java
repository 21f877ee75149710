package dev.backstop.samples.boot;

import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /orders?customer=ada&amountCents=1250} and {@code GET /orders/{id}}. */
@RestController
public class OrderController {
  private final OrderService orders;
  private final JdbcTemplate jdbc;

  public OrderController(OrderService orders, JdbcTemplate jdbc) {
    this.orders = orders;
    this.jdbc = jdbc;
  }

  @PostMapping("/orders")
  public Map<String, String> place(
      @RequestParam("customer") String customer, @RequestParam("amountCents") long amountCents) {
    return Map.of("id", orders.place(customer, amountCents));
  }

  /** The order and whether it is paid. */
  @GetMapping("/orders/{id}")
  public ResponseEntity<Map<String, Object>> get(@PathVariable("id") String id) {
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "SELECT o.id, o.customer, o.amount_cents, p.order_id IS NOT NULL AS paid"
                + " FROM orders o LEFT JOIN payments p ON p.order_id = o.id WHERE o.id = ?",
            id);
    return rows.isEmpty() ? ResponseEntity.notFound().build() : ResponseEntity.ok(rows.get(0));
  }
}
