package dev.backstop.dlq.cli;

import dev.backstop.dlq.ReplayListener;
import java.io.PrintWriter;
import java.time.Duration;

/** A self-rewriting progress line on standard error, drawn only when it is a terminal. */
final class ProgressLine {
  private final PrintWriter err;
  private final boolean enabled;
  private boolean drawn;

  ProgressLine(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  void draw(ReplayListener.Progress p) {
    if (!enabled) {
      return;
    }
    Duration eta = p.eta();
    String line =
        String.format(
            "replayed %,d (selected %,d, read %,d of %,d)  %,.0f/s  eta %s",
            p.sent(),
            p.selected(),
            p.scanned(),
            p.total(),
            p.rate(),
            eta == null ? "?" : eta.toSeconds() + "s");
    err.print("\r" + line + "\u001b[K");
    err.flush();
    drawn = true;
  }

  /** Removes the line so another message can be printed. */
  void clear() {
    if (drawn) {
      err.print("\r\u001b[K");
      drawn = false;
    }
  }

  /** Ends the line before the summary. */
  void end() {
    clear();
    err.flush();
  }
}
