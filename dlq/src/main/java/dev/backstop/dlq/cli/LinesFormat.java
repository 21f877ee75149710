package dev.backstop.dlq.cli;

import picocli.CommandLine.Option;

/** The {@code --format} of the commands that print one line per item. */
final class LinesFormat {
  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table or json (one object per line). Default: ${DEFAULT-VALUE}.")
  Format format;

  /** Whether to print JSON, one object per line. */
  boolean json() {
    return format == Format.json;
  }
}
