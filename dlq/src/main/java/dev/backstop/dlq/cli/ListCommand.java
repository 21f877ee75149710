package dev.backstop.dlq.cli;

import dev.backstop.dlq.DeadLetter;
import dev.backstop.dlq.DeadLetterJson;
import dev.backstop.dlq.DeadLetters;
import dev.backstop.dlq.FailureInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code backstop dlq list TOPIC}: one line per dead letter. Not thread-safe. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = BackstopCommand.Version.class,
    description = "List dead letters of a dead-letter topic, oldest first per partition.")
public final class ListCommand extends TopicCommand implements Callable<Integer> {
  @Mixin private LinesFormat format;

  /** A command using {@code context}. */
  public ListCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    PrintWriter out = out();
    PrintWriter err = err();
    var filter = filter();
    try (DeadLetters dlq = connect()) {
      boolean[] headed = {format.json()};
      long count =
          dlq.scan(
              topic,
              filter,
              letter -> {
                if (!headed[0]) {
                  out.println(header());
                  headed[0] = true;
                }
                out.println(format.json() ? DeadLetterJson.summary(letter) : row(letter));
              });
      out.flush();
      err.println(
          count + " dead letter" + (count == 1 ? "" : "s") + " in " + TableCells.safe(topic));
    }
    return 0;
  }

  private static String header() {
    return TableCells.pad("PARTITION/OFFSET", 17)
        + TableCells.pad("DEAD-LETTERED", 21)
        + TableCells.pad("ORIGINAL", 28)
        + TableCells.pad("ERROR", 41)
        + TableCells.pad("REPLAYS", 8)
        + "MESSAGE";
  }

  /** The root cause, and the class that wraps it when that is what was recorded. */
  private static String error(FailureInfo f) {
    String root = TableCells.simpleName(f.rootCause());
    return f.errorClass() == null || f.errorClass().equals(f.rootCause())
        ? root
        : root + " in " + TableCells.simpleName(f.errorClass());
  }

  private static String row(DeadLetter letter) {
    FailureInfo f = letter.failure();
    return TableCells.pad(letter.address().partition() + "/" + letter.address().offset(), 17)
        + TableCells.pad(TableCells.time(letter.timestamp()), 21)
        + TableCells.pad(TableCells.cell(f.originalAddress(), 27), 28)
        + TableCells.pad(TableCells.cell(error(f), 40), 41)
        + TableCells.pad(Integer.toString(f.replayCount()), 8)
        + TableCells.cell(f.errorMessage(), 80);
  }
}
