package dev.backstop.dlq.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What the commands over a whole dead-letter topic share: the context, the connection options, the
 * filters and the {@code TOPIC} parameter. Not thread-safe.
 */
abstract class TopicCommand {
  final CliContext context;
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;
  @Mixin FilterOptions filters;

  @Parameters(index = "0", paramLabel = "TOPIC", description = "The dead-letter topic.")
  String topic;

  TopicCommand(CliContext context) {
    this.context = context;
  }

  /** Standard output: machine-readable results. */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Standard error: everything else. */
  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
