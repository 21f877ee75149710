package dev.backstop.dlq.cli;

import dev.backstop.dlq.DeadLetterGroup;
import dev.backstop.dlq.DeadLetterJson;
import dev.backstop.dlq.DeadLetters;
import dev.backstop.dlq.GroupBy;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backstop dlq stats TOPIC}: dead letters grouped, largest group first. Not thread-safe. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    versionProvider = BackstopCommand.Version.class,
    description = "Group dead letters by error class, fingerprint or original topic.")
public final class StatsCommand extends TopicCommand implements Callable<Integer> {
  @Option(
      names = "--by",
      paramLabel = "FIELD",
      defaultValue = "error",
      description = "error, fingerprint or original-topic. Default: ${DEFAULT-VALUE}.")
  private String by;

  @Mixin private LinesFormat format;

  /** A command using {@code context}. */
  public StatsCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    GroupBy groupBy = GroupBy.parse(by);
    var filter = filter();
    PrintWriter out = out();
    try (DeadLetters dlq = connect()) {
      List<DeadLetterGroup> groups = dlq.stats(topic, filter, groupBy);
      if (format.json()) {
        groups.forEach(g -> out.println(DeadLetterJson.group(g)));
      } else {
        print(out, groupBy, groups);
      }
      out.flush();
      long total = groups.stream().mapToLong(DeadLetterGroup::count).sum();
      err()
          .println(
              total
                  + (total == 1 ? " dead letter in " : " dead letters in ")
                  + groups.size()
                  + (groups.size() == 1 ? " group" : " groups")
                  + " by "
                  + groupBy.label());
    }
    return 0;
  }

  private static void print(PrintWriter out, GroupBy by, List<DeadLetterGroup> groups) {
    int width = Math.max(by.label().length(), 12);
    for (DeadLetterGroup g : groups) {
      width = Math.max(width, Math.min(60, TableCells.cell(g.key(), 60).length()));
    }
    out.println(
        TableCells.pad("COUNT", 8)
            + TableCells.pad(by.label().toUpperCase(java.util.Locale.ROOT), width + 1)
            + TableCells.pad("FIRST SEEN", 21)
            + TableCells.pad("LAST SEEN", 21)
            + "SAMPLE");
    for (DeadLetterGroup g : groups) {
      out.println(
          TableCells.pad(Long.toString(g.count()), 8)
              + TableCells.pad(TableCells.cell(g.key(), 60), width + 1)
              + TableCells.pad(TableCells.time(g.firstSeen()), 21)
              + TableCells.pad(TableCells.time(g.lastSeen()), 21)
              + TableCells.safe(g.sample().toString())
              + "  "
              + TableCells.cell(g.sampleError(), 80));
    }
  }
}
