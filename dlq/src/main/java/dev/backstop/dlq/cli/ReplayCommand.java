package dev.backstop.dlq.cli;

import dev.backstop.dlq.DeadLetter;
import dev.backstop.dlq.DeadLetterJson;
import dev.backstop.dlq.DeadLetters;
import dev.backstop.dlq.DlqConfig;
import dev.backstop.dlq.InvalidInputException;
import dev.backstop.dlq.ReplayListener;
import dev.backstop.dlq.ReplayRequest;
import dev.backstop.dlq.ReplayResult;
import dev.backstop.dlq.ReplayTarget;
import dev.backstop.dlq.internal.ReplayTracing;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backstop dlq replay TOPIC}: send selected dead letters back. Not thread-safe. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = BackstopCommand.Version.class,
    description = {
      "Send selected dead letters to their original topic (or --to TOPIC), keeping the message id and"
          + " every header and adding one to backstop.replay.count.",
      "Exactly once for read_committed consumers: the records and the checkpoint commit in one Kafka"
          + " transaction, so a re-run with the same arguments resumes after the last commit."
    })
public final class ReplayCommand extends TopicCommand implements Callable<Integer> {
  @Option(
      names = "--to",
      paramLabel = "original|TOPIC",
      defaultValue = "original",
      description = "Where to send: each record's original topic, or one topic. Default: original.")
  private String to;

  @Option(
      names = "--rate",
      paramLabel = "N/s",
      description = "At most N records per second (default: as fast as Kafka acknowledges).")
  private String rate;

  @Option(names = "--dry-run", description = "Print what would be sent; send nothing.")
  private boolean dryRun;

  @Option(
      names = "--max-replays",
      paramLabel = "N",
      description =
          "Refuse dead letters already replayed N times (default: backstop.dlq.replay.max-replays, 3).")
  private Integer maxReplays;

  @Option(
      names = "--checkpoint",
      paramLabel = "NAME",
      description =
          "Consumer group holding this replay's progress (default: derived from the arguments).")
  private String checkpoint;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description =
          "table or json for the dry-run lines and the summary. Default: ${DEFAULT-VALUE}.")
  private Format format;

  /** A command using {@code context}. */
  public ReplayCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    PrintWriter out = out();
    PrintWriter err = err();
    var filter = filter();
    ReplayTarget target = ReplayTarget.parse(to);
    Double perSecond = rate == null ? null : parseRate(rate);
    DlqConfig config = connection.config(err);
    int cap = maxReplays != null ? maxReplays : config.maxReplays();
    ReplayRequest request =
        new ReplayRequest(
            topic, filter, target, perSecond, dryRun, cap, checkpoint, new AtomicBoolean());
    CountDownLatch finished = new CountDownLatch(1);
    context.onInterrupt().accept(() -> stopAndWait(request, finished));
    // traced through GlobalOpenTelemetry when the API is on the class path (the Java agent's)
    try (DeadLetters dlq =
        DeadLetters.builder(config)
            .clock(context.clock())
            .sleeper(context.sleeper())
            .openTelemetry(ReplayTracing.globalOpenTelemetry())
            .build()) {
      ProgressLine progress = new ProgressLine(err, context.stderrIsTerminal().getAsBoolean());
      ReplayResult result =
          dlq.replay(request, new Listener(out, err, progress, context.replayListener()));
      progress.end();
      report(out, err, result, target);
      return result.complete() && result.refused().isEmpty() ? 0 : 1;
    } finally {
      // a Ctrl-C waits for this: the summary is printed before the process ends
      finished.countDown();
    }
  }

  private static void stopAndWait(ReplayRequest request, CountDownLatch finished) {
    request.stop();
    try {
      finished.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code 1000/s} or {@code 1000}. */
  static double parseRate(String text) {
    String number = text.endsWith("/s") ? text.substring(0, text.length() - 2) : text;
    double value;
    try {
      value = Double.parseDouble(number.trim());
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new InvalidInputException(
          "Invalid value "
              + text
              + " for --rate: must be a positive number of records per second, like 1000/s");
    }
    return value;
  }

  private void report(PrintWriter out, PrintWriter err, ReplayResult r, ReplayTarget target) {
    if (format == Format.json) {
      out.println(DeadLetterJson.replayResult(r));
      out.flush();
    }
    String where = target.original() ? "their original topics" : TableCells.safe(target.topic());
    double seconds = Math.max(0.001, r.elapsed().toMillis() / 1000.0);
    String verb = r.dryRun() ? "would replay " : "replayed ";
    long count = r.dryRun() ? r.selected() - r.refused().size() : r.sent();
    err.printf(
        "%s%d of %d selected dead letters to %s in %.1fs%s; refused %d%n",
        verb,
        count,
        r.selected(),
        where,
        seconds,
        r.dryRun() ? "" : String.format(" (%.1f/s)", r.sent() / seconds),
        r.refused().size());
    if (!r.dryRun()) {
      err.println(
          "checkpoint "
              + TableCells.safe(r.checkpoint())
              + (r.resumed()
                  ? " (resumed: " + r.alreadyDone() + " selected by earlier runs)"
                  : ""));
    }
    if (r.failure() != null) {
      err.println(
          "backstop: replay failed: "
              + TableCells.safe(r.failure())
              + "; committed records are checkpointed: re-run the same command to resume");
    } else if (!r.complete()) {
      err.println("backstop: replay stopped before the end; re-run the same command to resume");
    } else if (!r.refused().isEmpty()) {
      err.println(
          "backstop: "
              + r.refused().size()
              + " dead letter"
              + (r.refused().size() == 1 ? " was" : "s were")
              + " refused (listed above)");
    }
    err.flush();
  }

  /** Prints dry-run lines and refusals, draws progress, and forwards to the context's listener. */
  private final class Listener implements ReplayListener {
    private final PrintWriter out;
    private final PrintWriter err;
    private final ProgressLine progress;
    private final ReplayListener extra;

    Listener(PrintWriter out, PrintWriter err, ProgressLine progress, ReplayListener extra) {
      this.out = out;
      this.err = err;
      this.progress = progress;
      this.extra = extra;
    }

    @Override
    public void onStart(Runnable stop) {
      extra.onStart(stop);
    }

    @Override
    public void onSent(DeadLetter letter, String target, long sentSoFar) {
      extra.onSent(letter, target, sentSoFar);
    }

    @Override
    public void onWouldSend(DeadLetter letter, String target) {
      if (format == Format.json) {
        out.println(DeadLetterJson.wouldSend(letter, target));
      } else {
        out.println(
            "would send "
                + TableCells.safe(letter.address().toString())
                + " -> "
                + TableCells.safe(target)
                + "  message id "
                + TableCells.safe(letter.failure().messageId())
                + "  replay "
                + (letter.failure().replayCount() + 1));
      }
      extra.onWouldSend(letter, target);
    }

    @Override
    public void onRefused(DeadLetter letter, String reason) {
      progress.clear();
      err.println(
          "refused "
              + TableCells.safe(letter.address().toString())
              + ": "
              + TableCells.safe(reason));
      extra.onRefused(letter, reason);
    }

    @Override
    public void onProgress(Progress p) {
      progress.draw(p);
      extra.onProgress(p);
    }
  }
}
