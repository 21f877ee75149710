package dev.backstop.dlq.cli;

import dev.backstop.dlq.DeadLetterFilter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * What the commands over a whole dead-letter topic share besides the connection: the filters and
 * the {@code TOPIC} parameter. Not thread-safe.
 */
abstract class TopicCommand extends ConnectedCommand {
  @Mixin FilterOptions filters;

  @Parameters(index = "0", paramLabel = "TOPIC", description = "The dead-letter topic.")
  String topic;

  TopicCommand(CliContext context) {
    super(context);
  }

  /** The filter of the options, times relative to the context's clock. */
  DeadLetterFilter filter() {
    return filters.filter(context.clock());
  }
}
