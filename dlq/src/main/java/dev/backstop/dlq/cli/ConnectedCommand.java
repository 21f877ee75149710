package dev.backstop.dlq.cli;

import dev.backstop.dlq.DeadLetters;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command that reads Kafka shares: the context, the connection options and the command's
 * writers. Not thread-safe.
 */
abstract class ConnectedCommand {
  final CliContext context;
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  ConnectedCommand(CliContext context) {
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

  /** Connects with the configuration the connection options describe. */
  DeadLetters connect() {
    return connection.connect(context, err());
  }
}
