package dev.backstop.dlq.cli;

import dev.backstop.dlq.DeadLetterJson;
import dev.backstop.dlq.DeadLetters;
import dev.backstop.dlq.DlqException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code backstop dlq export TOPIC}: dead letters as JSON lines that round-trip. Not thread-safe.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    versionProvider = BackstopCommand.Version.class,
    description =
        "Write dead letters as JSON lines: key, value and headers in base64 (exact bytes), plus"
            + " the decoded failure.")
public final class ExportCommand extends TopicCommand implements Callable<Integer> {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "File to write (replaced only when the export completes). Default: stdout.")
  private Path output;

  /** A command using {@code context}. */
  public ExportCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws IOException {
    var filter = filter();
    PrintWriter err = err();
    try (DeadLetters dlq = connect()) {
      long count;
      if (output == null) {
        PrintWriter out = out();
        count = dlq.scan(topic, filter, letter -> out.println(DeadLetterJson.export(letter)));
        out.flush();
      } else {
        count = toFile(dlq, filter);
      }
      err.println(
          "exported "
              + count
              + " dead letter"
              + (count == 1 ? "" : "s")
              + " from "
              + topic
              + (output == null ? "" : " to " + output));
    }
    return 0;
  }

  private long toFile(DeadLetters dlq, dev.backstop.dlq.DeadLetterFilter filter)
      throws IOException {
    Path absolute = output.toAbsolutePath();
    Path temp = Files.createTempFile(absolute.getParent(), ".export-", ".jsonl");
    try {
      long count;
      try (BufferedWriter writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
        count = dlq.scan(topic, filter, letter -> writeLine(writer, DeadLetterJson.export(letter)));
      }
      Files.move(
          temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return count;
    } catch (UncheckedIOException e) {
      throw new DlqException("Could not write " + output + ": " + e.getCause().getMessage(), e);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void writeLine(BufferedWriter writer, String line) {
    try {
      writer.write(line);
      writer.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
