package dev.backstop.dlq.cli;

import dev.backstop.dlq.DeadLetter;
import dev.backstop.dlq.DeadLetterJson;
import dev.backstop.dlq.DeadLetters;
import dev.backstop.dlq.DecodedHeader;
import dev.backstop.dlq.FailureInfo;
import dev.backstop.dlq.Payload;
import dev.backstop.dlq.RecordAddress;
import dev.backstop.dlq.TerminalText;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backstop dlq show TOPIC/PARTITION/OFFSET}: one dead letter in full. Not thread-safe. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    versionProvider = BackstopCommand.Version.class,
    description = "Show one dead letter: failure, every header decoded, and the payload.")
public final class ShowCommand extends ConnectedCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "TOPIC/PARTITION/OFFSET",
      description = "Where the dead letter is, as printed by list, like orders.dlq/0/42.")
  private String address;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table or json. Default: ${DEFAULT-VALUE}.")
  private Format format;

  @Option(
      names = "--max-bytes",
      paramLabel = "N",
      defaultValue = "4096",
      description = "Cut the rendered payload to N bytes. Default: ${DEFAULT-VALUE}.")
  private int maxBytes;

  /** A command using {@code context}. */
  public ShowCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    RecordAddress where = RecordAddress.parse(address);
    Payload.render(new byte[0], maxBytes); // rejects a bad --max-bytes before connecting
    PrintWriter out = out();
    try (DeadLetters dlq = connect()) {
      DeadLetter letter = dlq.read(where);
      if (format == Format.json) {
        out.println(DeadLetterJson.detail(letter, maxBytes));
      } else {
        print(out, letter);
      }
      out.flush();
    }
    return 0;
  }

  private void print(PrintWriter out, DeadLetter letter) {
    FailureInfo f = letter.failure();
    line(out, "dead letter", letter.address() + "  at " + letter.timestamp());
    line(out, "source", f.source().name().toLowerCase(Locale.ROOT));
    line(out, "original", orDash(f.originalAddress()) + time(f.originalTimestamp()));
    line(out, "consumer group", orDash(f.consumerGroup()));
    line(out, "error class", orDash(f.errorClass()));
    line(out, "root cause", orDash(f.rootCause()));
    line(out, "error message", orDash(f.errorMessage()));
    line(out, "fingerprint", orDash(f.fingerprint()));
    line(out, "message id", orDash(f.messageId()));
    line(
        out,
        "failed at",
        TableCells.time(f.failedAt()) + "  (first " + TableCells.time(f.firstFailedAt()) + ")");
    line(out, "attempt", f.attempt() == null ? "-" : f.attempt().toString());
    line(
        out,
        "replays",
        f.replayCount() + (f.replayedAt() == null ? "" : "  (last " + f.replayedAt() + ")"));
    line(out, "key", orDash(letter.keyText()));
    out.println("headers");
    for (DecodedHeader h : letter.headers()) {
      String value =
          h.display().contains("\n")
              ? TableCells.cell(h.display(), 100)
              : TableCells.safe(h.display());
      out.println(
          "  "
              + TableCells.pad(TableCells.safe(h.name()), 34)
              + value
              + (h.problem() == null ? "" : "  [undecoded: " + TableCells.safe(h.problem()) + "]"));
    }
    if (f.stacktrace() != null) {
      out.println("stack trace");
      TerminalText.escapeKeepingLines(f.stacktrace()).lines().forEach(l -> out.println("  " + l));
    }
    Payload value = Payload.render(letter.value(), maxBytes);
    out.println(
        "payload ("
            + value.kind().name().toLowerCase(Locale.ROOT)
            + ", "
            + value.size()
            + " bytes"
            + (value.truncated() ? ", cut to --max-bytes " + maxBytes : "")
            + ")");
    out.println(TerminalText.escapeKeepingLines(value.text()));
  }

  /** A label and its value, every control character of the value escaped. */
  private static void line(PrintWriter out, String label, String value) {
    out.println(TableCells.pad(label, 16) + TableCells.safe(value));
  }

  private static String orDash(String text) {
    return text == null ? "-" : text;
  }

  private static String time(java.time.Instant instant) {
    return instant == null ? "" : "  (at " + instant + ")";
  }
}
