package dev.backstop.samples;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * The demo's live summary. On a terminal, a block of a few lines is redrawn in place (ANSI cursor
 * movement) and story lines ({@link #event}) scroll above it; otherwise, each refresh prints one
 * plain line. Thread-safe (every method is synchronized).
 */
final class Dashboard {

  private static final String UP_AND_CLEAR_FORMAT = "\033[%dF\033[J";

  private final PrintStream out;
  private final boolean terminal;
  private final Duration refresh;
  private final Clock clock;
  private final Supplier<Snapshot> snapshots;
  private int drawnLines;
  private Instant nextDraw = Instant.MIN;

  Dashboard(
      PrintStream out,
      boolean terminal,
      Duration refresh,
      Clock clock,
      Supplier<Snapshot> snapshots) {
    this.out = out;
    this.terminal = terminal;
    this.refresh = refresh;
    this.clock = clock;
    this.snapshots = snapshots;
  }

  /** A line of the story, printed once (above the live block on a terminal). */
  synchronized void event(String line) {
    erase();
    out.println(line);
    if (terminal) {
      draw(snapshots.get());
    }
    out.flush();
  }

  /** Redraws (or prints a plain line) when the refresh interval has passed. */
  synchronized void tick() {
    Instant now = clock.instant();
    if (now.isBefore(nextDraw)) {
      return;
    }
    nextDraw = now.plus(refresh);
    Snapshot snapshot = snapshots.get();
    if (terminal) {
      erase();
      draw(snapshot);
    } else {
      out.println(plain(snapshot));
    }
    out.flush();
  }

  /** Draws the final figures and leaves them on the screen. */
  synchronized void finish() {
    Snapshot snapshot = snapshots.get();
    if (terminal) {
      erase();
      draw(snapshot);
      drawnLines = 0;
    } else {
      out.println(plain(snapshot));
    }
    out.flush();
  }

  private void erase() {
    if (terminal && drawnLines > 0) {
      out.printf(UP_AND_CLEAR_FORMAT, drawnLines);
      drawnLines = 0;
    }
  }

  private void draw(Snapshot s) {
    List<String> lines = block(s);
    lines.forEach(out::println);
    drawnLines = lines.size();
  }

  /** The live block: six lines, each shorter than 80 columns so redrawing never wraps. */
  static List<String> block(Snapshot s) {
    StringJoiner tiers = new StringJoiner(" · ");
    s.retried()
        .forEach(
            (topic, count) ->
                tiers.add("tier " + topic.substring(topic.lastIndexOf('.') + 1) + " " + count));
    return List.of(
        "  ┌─ live ─ " + duration(s.elapsed()),
        "  │ orders     created " + s.created() + " · published " + s.published(),
        "  │ payments   processed once "
            + s.processedOnce()
            + " · duplicates skipped "
            + s.duplicatesSkipped(),
        "  │ failures   retried "
            + (tiers.length() == 0 ? "0" : tiers.toString())
            + " · dead-lettered "
            + s.deadLettered(),
        "  │ circuit    " + s.circuit() + " · gateway " + s.gateway(),
        "  └ latency    end-to-end p50 "
            + duration(s.latencyP50())
            + " · p99 "
            + duration(s.latencyP99()));
  }

  static String plain(Snapshot s) {
    return String.format(
        Locale.ROOT,
        "[%6s] created=%d published=%d processed-once=%d duplicates-skipped=%d retried={%s}"
            + " dead-lettered=%d circuit=%s gateway=%s p50=%s p99=%s",
        duration(s.elapsed()),
        s.created(),
        s.published(),
        s.processedOnce(),
        s.duplicatesSkipped(),
        tiers(s.retried(), ", "),
        s.deadLettered(),
        s.circuit(),
        s.gateway().startsWith("DOWN") ? "DOWN" : "up",
        duration(s.latencyP50()),
        duration(s.latencyP99()));
  }

  static String tiers(Map<String, Long> retried, String separator) {
    if (retried.isEmpty()) {
      return "none yet";
    }
    StringJoiner joined = new StringJoiner(separator);
    retried.forEach((tier, count) -> joined.add(tier + " " + count));
    return joined.toString();
  }

  /** {@code 850 ms}, {@code 4.2 s}, {@code 61 s}. */
  static String duration(Duration d) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    return (millis / 1000) + " s";
  }
}
