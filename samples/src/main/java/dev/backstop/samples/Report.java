package dev.backstop.samples;

import dev.backstop.dlq.cli.BackstopCommand;
import dev.backstop.dlq.cli.CliContext;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Prints the end of a demo run: the figures, every invariant with its verdict, and the dead letters
 * through the {@code backstop} command line. Stateless.
 */
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

  /**
   * Runs {@code backstop dlq list}, {@code stats} and {@code replay --dry-run} in this JVM, then
   * shows the command that replays the dead letters.
   */
  static void printDeadLetters(DemoSummary summary, boolean inJvm, PrintStream out) {
    String topic = summary.deadLetterTopic();
    String servers = summary.bootstrapServers();
    out.println();
    out.println("Dead letters, through the backstop command line:");
    backstop(out, "dlq", "list", topic, "--bootstrap-server", servers);
    backstop(out, "dlq", "stats", topic, "--bootstrap-server", servers);
    out.println();
    out.println(
        "Once the cause is fixed, replay them to their original topic. A replay keeps each"
            + " message id, so the idempotent consumer never pays an order twice. What it would"
            + " send:");
    backstop(out, "dlq", "replay", topic, "--bootstrap-server", servers, "--dry-run");
    out.println();
    out.println("The command that replays them (dlq/bin/backstop, built by ./demo):");
    out.println("  dlq/bin/backstop dlq replay " + topic + " --bootstrap-server " + servers);
    if (inJvm) {
      out.println(
          "This broker stops with the demo: ./demo --wait keeps it up to try the command, and"
              + " ./demo --bootstrap-server HOST:PORT runs against your cluster.");
    }
  }

  /** Runs the {@code backstop} command line in this JVM, its output and errors to {@code out}. */
  private static void backstop(PrintStream out, String... args) {
    out.println();
    out.println("$ backstop " + String.join(" ", args));
    PrintWriter writer = new PrintWriter(out, true);
    CommandLine cli = BackstopCommand.commandLine(CliContext.system().withTerminal(false));
    cli.setOut(writer);
    cli.setErr(writer);
    cli.execute(args);
    writer.flush();
  }
}
