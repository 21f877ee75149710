package dev.backstop.dlq.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code backstop dlq}: the dead-letter commands. Not thread-safe. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    versionProvider = BackstopCommand.Version.class,
    description = "List, inspect, group, export and replay dead letters.",
    subcommands = {
      ListCommand.class,
      ShowCommand.class,
      StatsCommand.class,
      ReplayCommand.class,
      ExportCommand.class,
      HeldCommand.class
    })
public final class DlqCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }
}
