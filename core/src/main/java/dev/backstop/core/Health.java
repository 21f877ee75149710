package dev.backstop.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The health a component reports: a status, a one-line detail for humans and named details for
 * tools (lag, queue depth, last error).
 *
 * <p>Thread-safety: immutable.
 *
 * @param status overall state
 * @param detail one line that says why, for a human
 * @param details named values for dashboards; unmodifiable, in insertion order
 */
public record Health(Status status, String detail, Map<String, Object> details) {

  /** Overall state of a component. */
  public enum Status {
    /** Working normally. */
    UP,
    /** Working, but behind or retrying; needs attention if it lasts. */
    DEGRADED,
    /** Not working. */
    DOWN
  }

  /** Validates and copies; {@code details} may hold null values. */
  public Health {
    Objects.requireNonNull(status, "status");
    detail = detail == null ? "" : detail;
    details =
        Collections.unmodifiableMap(new LinkedHashMap<>(details == null ? Map.of() : details));
  }

  /** A healthy component. */
  public static Health up(String detail) {
    return new Health(Status.UP, detail, Map.of());
  }

  /** A component that works but needs attention. */
  public static Health degraded(String detail) {
    return new Health(Status.DEGRADED, detail, Map.of());
  }

  /** A component that does not work. */
  public static Health down(String detail) {
    return new Health(Status.DOWN, detail, Map.of());
  }

  /** A copy with one more named detail (replacing an earlier one of the same name). */
  public Health withDetail(String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(details);
    copy.put(name, value);
    return new Health(status, detail, copy);
  }
}
