package dev.backstop.dlq.cli;

import dev.backstop.core.Durations;
import dev.backstop.dlq.DeadLetterFilter;
import dev.backstop.dlq.InvalidInputException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Option;

/** The filters every reading command takes. */
final class FilterOptions {
  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description = "Dead-lettered at or after: a duration ago (2h, 30m) or an instant (ISO-8601).")
  String since;

  @Option(
      names = "--until",
      paramLabel = "WHEN",
      description = "Dead-lettered at or before: a duration ago or an instant.")
  String until;

  @Option(
      names = {"-e", "--error-class"},
      paramLabel = "CLASS",
      description = "Error class, fully qualified or simple name.")
  String errorClass;

  @Option(
      names = "--fingerprint",
      paramLabel = "HEX",
      description = "Error fingerprint (or a prefix of it).")
  String fingerprint;

  @Option(names = "--key", paramLabel = "KEY", description = "Record key (UTF-8).")
  String key;

  @Option(
      names = "--original-topic",
      paramLabel = "TOPIC",
      description = "Topic the record was first consumed from.")
  String originalTopic;

  @Option(
      names = {"-p", "--partition"},
      paramLabel = "N",
      description = "Only this partition of the dead-letter topic.")
  Integer partition;

  @Option(
      names = "--from-offset",
      paramLabel = "OFFSET",
      description = "First offset, inclusive (needs --partition).")
  Long fromOffset;

  @Option(
      names = "--to-offset",
      paramLabel = "OFFSET",
      description = "Last offset, inclusive (needs --partition).")
  Long toOffset;

  @Option(
      names = {"-n", "--limit"},
      paramLabel = "N",
      description = "At most N dead letters.")
  Integer limit;

  /** The filter these options describe; times relative to {@code clock}. */
  DeadLetterFilter filter(Clock clock) {
    if ((fromOffset != null || toOffset != null) && partition == null) {
      throw new InvalidInputException("--from-offset and --to-offset need --partition");
    }
    return DeadLetterFilter.builder()
        .since(when("--since", since, clock))
        .until(when("--until", until, clock))
        .errorClass(errorClass)
        .fingerprint(fingerprint)
        .key(key)
        .originalTopic(originalTopic)
        .partition(partition)
        .fromOffset(fromOffset)
        .toOffset(toOffset)
        .limit(limit)
        .build();
  }

  /** A duration ago or an instant. */
  static Instant when(String option, String text, Clock clock) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return clock.instant().minus(Durations.parse(text));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(
            "Invalid value "
                + text
                + " for "
                + option
                + ": must be a duration ago like 2h or an instant like 2026-11-26T22:00:00Z");
      }
    }
  }
}
