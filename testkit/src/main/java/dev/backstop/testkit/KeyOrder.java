package dev.backstop.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks per-key order of what a consumer read against the commit order of what was written.
 *
 * <p>Per key, the consumed items must be the committed ones in commit order, where a run may start
 * again at an earlier item (a relay sends a lane again from its first row not yet deleted) and then
 * repeats it in order. So every consumed item is either the next one after the item before it, or a
 * repeat of an item already seen (the start of a new run); an item never seen before must follow
 * the newest item seen so far directly. Hence a consumer never sees an older item after a newer one
 * unless it is an in-order repeat that goes on to that newer one again, and a consumer that
 * deduplicates (keeps first occurrences) sees exactly the commit order. When {@code complete},
 * every committed item must have been read and each key's last item read must be its newest.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyOrder {

  /** One consumed item (a message id or a value) of a key. */
  public record Consumed(String key, String item) {}

  private static final int REPORTED = 20;

  private final Map<String, Map<String, Integer>> positions;
  private final Map<String, List<String>> committed;

  private KeyOrder(Map<String, List<String>> committed) {
    this.committed = new LinkedHashMap<>();
    this.positions = new HashMap<>();
    committed.forEach(
        (key, items) -> {
          this.committed.put(key, List.copyOf(items));
          Map<String, Integer> index = new HashMap<>();
          for (int i = 0; i < items.size(); i++) {
            if (index.putIfAbsent(items.get(i), i) != null) {
              throw new IllegalArgumentException(
                  "Item " + items.get(i) + " of key " + key + " is committed twice");
            }
          }
          positions.put(key, index);
        });
  }

  /** The commit order: per key, its items in the order their transactions committed. */
  public static KeyOrder committed(Map<String, List<String>> committedByKey) {
    return new KeyOrder(committedByKey);
  }

  /** What breaks the order in {@code consumed} (in consumption order); empty when it holds. */
  public List<String> violations(List<Consumed> consumed, boolean complete) {
    List<String> problems = new ArrayList<>();
    Map<String, int[]> state = new HashMap<>(); // key -> {previous, newest}
    for (Consumed item : consumed) {
      Map<String, Integer> index = positions.get(item.key());
      Integer position = index == null ? null : index.get(item.item());
      if (position == null) {
        problems.add("key " + item.key() + ": " + shorten(item.item()) + " was never committed");
        continue;
      }
      int[] seen = state.computeIfAbsent(item.key(), k -> new int[] {-1, -1});
      int previous = seen[0];
      int newest = seen[1];
      boolean next = position == previous + 1;
      boolean repeat = position <= newest;
      if (!next && !repeat) {
        problems.add(
            "key "
                + item.key()
                + ": "
                + shorten(item.item())
                + " (commit #"
                + position
                + ") after "
                + describe(item.key(), previous)
                + " while the newest seen was "
                + describe(item.key(), newest));
      }
      seen[0] = position;
      seen[1] = Math.max(newest, position);
    }
    if (complete) {
      committed.forEach(
          (key, items) -> {
            int[] seen = state.get(key);
            int last = items.size() - 1;
            if (seen == null || seen[1] < last) {
              problems.add(
                  "key "
                      + key
                      + ": read up to "
                      + describe(key, seen == null ? -1 : seen[1])
                      + " of "
                      + items.size()
                      + " committed");
            } else if (seen[0] != last) {
              problems.add(
                  "key " + key + ": ends on " + describe(key, seen[0]) + ", not on the newest");
            }
          });
    }
    return problems;
  }

  /** Throws an {@link AssertionError} listing the first violations when the order does not hold. */
  public void check(List<Consumed> consumed, boolean complete) {
    List<String> problems = violations(consumed, complete);
    if (!problems.isEmpty()) {
      throw new AssertionError(
          problems.size()
              + " per-key order violations among "
              + consumed.size()
              + " consumed items, first: "
              + String.join("; ", problems.subList(0, Math.min(REPORTED, problems.size()))));
    }
  }

  private String describe(String key, int position) {
    return position < 0
        ? "nothing"
        : shorten(committed.get(key).get(position)) + " (#" + position + ")";
  }

  private static String shorten(String item) {
    return item.length() > 60 ? item.substring(0, 60) + "…" : item;
  }
}
