package dev.backstop.samples;

import java.io.PrintStream;
import java.util.Locale;

/** Prints a {@link DemoSummary}: the figures, then every invariant with its verdict. Stateless. */
final class Report {

  private Report() {}

  static void print(DemoSummary s, PrintStream out) {
    out.println();
    out.println("Summary after " + Dashboard.duration(s.elapsed()));
    row(out, "orders created", s.ordersCreated(), "");
    row(out, "published by the relay", s.published(), "");
    row(out, "processed once", s.processedOnce(), "orders with exactly one payment");
    row(out, "duplicates skipped", s.duplicatesSkipped(), "deliveries of already paid orders");
    line(out, "retried", Dashboard.tiers(s.retriedPerTier(), " · "));
    row(out, "dead-lettered", s.deadLettered(), "poison orders: " + s.poisonOrders());
    row(out, "duplicates applied", s.duplicatesApplied(), "");
    line(out, "circuit breaker", s.circuitOpened() ? "opened, and closed again" : "never opened");
    line(
        out,
        "end-to-end latency",
        "p50 "
            + Dashboard.duration(s.latencyP50())
            + " · p99 "
            + Dashboard.duration(s.latencyP99())
            + "   (order commit → payment commit)");
    if (!s.phasesSettled()) {
      out.println("  (a phase did not settle in time: see the lines marked !)");
    }
    out.println();
    out.println("Invariants");
    for (Invariant invariant : s.invariants()) {
      out.println(
          "  "
              + (invariant.holds() ? "[ok]    " : "[FAILED]")
              + " "
              + invariant.name()
              + ": "
              + invariant.detail());
    }
    out.println(
        s.invariantsHold()
            ? "All invariants hold."
            : "An invariant failed: the demo exits with code 1.");
  }

  private static void row(PrintStream out, String label, long value, String note) {
    line(out, label, String.format(Locale.ROOT, "%-6d %s", value, note).stripTrailing());
  }

  private static void line(PrintStream out, String label, String text) {
    out.println(String.format(Locale.ROOT, "  %-24s %s", label, text));
  }
}
