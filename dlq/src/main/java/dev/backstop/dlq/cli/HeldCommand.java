package dev.backstop.dlq.cli;

import dev.backstop.dlq.DeadLetterJson;
import dev.backstop.dlq.DeadLetters;
import dev.backstop.dlq.HeldKey;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code backstop dlq held TOPIC}: the keys a consumer in key-order mode holds, the record each
 * waits behind (in a retry tier or dead-lettered), and the records waiting behind it. Not
 * thread-safe.
 */
@Command(
    name = "held",
    mixinStandardHelpOptions = true,
    versionProvider = BackstopCommand.Version.class,
    description =
        "Show the keys held behind a retried or dead-lettered record (key-order mode), and the"
            + " records waiting behind each.")
public final class HeldCommand extends ConnectedCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "TOPIC",
      description = "The held-keys topic (backstop.retry.held-topic), such as orders.held.")
  String topic;

  @Mixin private LinesFormat format;

  @Option(
      names = "--dead-lettered",
      description = "Only keys whose head record is in the dead-letter topic.")
  private boolean deadLettered;

  /** A command using {@code context}. */
  public HeldCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    PrintWriter out = out();
    PrintWriter err = err();
    List<HeldKey> keys;
    try (DeadLetters dlq = connect()) {
      keys = dlq.held(topic);
    }
    if (deadLettered) {
      keys = keys.stream().filter(k -> "dead-lettered".equals(k.status())).toList();
    }
    if (format.json()) {
      keys.forEach(k -> out.println(DeadLetterJson.held(k)));
    } else {
      out.println(
          TableCells.pad("GROUP", 16)
              + TableCells.pad("KEY", 24)
              + TableCells.pad("STATUS", 15)
              + TableCells.pad("HEAD MESSAGE ID", 38)
              + "HELD RECORDS");
      for (HeldKey k : keys) {
        out.println(
            TableCells.pad(TableCells.cell(k.group(), 15), 16)
                + TableCells.pad(TableCells.cell(k.key(), 23), 24)
                + TableCells.pad(k.status(), 15)
                + TableCells.pad(
                    k.headMessageId() == null ? "-" : TableCells.safe(k.headMessageId()), 38)
                + k.held().size()
                + (k.held().isEmpty() ? "" : " (" + k.held().get(0) + " first)"));
      }
    }
    out.flush();
    long records = keys.stream().mapToLong(k -> k.held().size()).sum();
    err.println(
        keys.size()
            + (keys.size() == 1 ? " held key, " : " held keys, ")
            + records
            + (records == 1 ? " record" : " records")
            + " waiting behind them");
    err.flush();
    return 0;
  }
}
