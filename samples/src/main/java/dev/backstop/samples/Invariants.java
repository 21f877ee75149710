package dev.backstop.samples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The demo's invariants, computed from what is in the database and in the dead-letter topic (not
 * from metrics). Pure logic: thread-safe.
 */
final class Invariants {

  static final String EXACTLY_ONCE_OR_DEAD = "every order processed exactly once or dead-lettered";
  static final String DEAD_EQUALS_POISON = "dead letters == poison orders";
  static final String NO_DUPLICATES = "duplicates applied == 0";

  private static final int SHOWN = 5;

  /**
   * One order as the database has it.
   *
   * @param id the order id (also the record key)
   * @param card the card charged
   * @param payments payments applied for it
   */
  record OrderRow(String id, String card, long payments) {}

  private Invariants() {}

  /**
   * @param orders every order with its payment count
   * @param deadLetterKeys the key of every record in the dead-letter topic
   * @param duplicatesApplied payments beyond the first of an order
   * @param declinedCards the cards the gateway declines (poison orders carry one)
   */
  static List<Invariant> check(
      List<OrderRow> orders,
      List<String> deadLetterKeys,
      long duplicatesApplied,
      Set<String> declinedCards) {
    Map<String, Integer> dead = new HashMap<>();
    deadLetterKeys.forEach(key -> dead.merge(String.valueOf(key), 1, Integer::sum));
    List<String> problems = new ArrayList<>();
    long paidOnce = 0;
    long deadLettered = 0;
    long poison = 0;
    long poisonDead = 0;
    Set<String> known = new HashSet<>();
    for (OrderRow order : orders) {
      known.add(order.id());
      int letters = dead.getOrDefault(order.id(), 0);
      boolean isPoison = declinedCards.contains(order.card());
      if (isPoison) {
        poison++;
        poisonDead += letters == 1 ? 1 : 0;
      }
      if (order.payments() == 1 && letters == 0) {
        paidOnce++;
      } else if (order.payments() == 0 && letters == 1) {
        deadLettered++;
      } else {
        problems.add(
            order.id() + " paid " + order.payments() + "x, dead-lettered " + letters + "x");
      }
    }
    dead.keySet().stream()
        .filter(key -> !known.contains(key))
        .forEach(key -> problems.add("dead letter " + key + " is no order"));
    return List.of(
        new Invariant(
            EXACTLY_ONCE_OR_DEAD,
            problems.isEmpty(),
            orders.size()
                + " orders: "
                + paidOnce
                + " paid once, "
                + deadLettered
                + " dead-lettered"
                + (problems.isEmpty() ? "" : "; " + first(problems))),
        new Invariant(
            DEAD_EQUALS_POISON,
            deadLetterKeys.size() == poison && poisonDead == poison,
            deadLetterKeys.size()
                + " dead letters, "
                + poison
                + " poison orders, "
                + poisonDead
                + " of them dead-lettered"),
        new Invariant(
            NO_DUPLICATES,
            duplicatesApplied == 0,
            duplicatesApplied + " payments beyond the first of an order"));
  }

  private static String first(List<String> problems) {
    StringJoiner joined = new StringJoiner(", ");
    problems.stream().limit(SHOWN).forEach(joined::add);
    return joined + (problems.size() > SHOWN ? " and " + (problems.size() - SHOWN) + " more" : "");
  }
}
