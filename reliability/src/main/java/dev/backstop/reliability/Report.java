package dev.backstop.reliability;

import java.util.Locale;
import java.util.Map;

/**
 * What the invariant checker found after a run. Immutable and thread-safe.
 *
 * @param options the run's options
 * @param committed messages whose business transaction committed
 * @param poisonCommitted of those, poison (rejected by the handler or undecodable)
 * @param published distinct message ids on the source topic
 * @param publishedRecords records on the source topic (relay re-sends included)
 * @param phantoms message ids on the topic that no committed transaction wrote (must be 0)
 * @param applied distinct message ids with an effect row
 * @param duplicates effect rows beyond the first of a message id (must be 0)
 * @param lost committed messages neither applied nor dead-lettered (must be 0)
 * @param deadLettered distinct message ids on the dead-letter topic
 * @param deadLetterRecords records on the dead-letter topic
 * @param wronglyDeadLettered good messages on the dead-letter topic (must be 0)
 * @param poisonApplied poison messages with an effect row (must be 0)
 * @param orderViolations per-key order violations on the source topic read at read_committed: an
 *     older message after a newer one that is not an in-order repeat (must be 0)
 * @param latency latency percentiles in milliseconds: end to end (created-at to effect commit),
 *     created-at to the source record's timestamp, and that timestamp to the effect commit
 * @param faults how often each fault was injected
 * @param handlerFailures transient handler failures injected
 * @param outageFailures handler calls failed by the dependency outage
 * @param crashes consumer crashes between transaction and offset commit
 * @param relayDeaths relays that stopped on their own and were restarted (must be 0)
 * @param consumerDeaths consumers that stopped on their own and were restarted (must be 0)
 * @param seconds wall time of the run
 */
public record Report(
    RunOptions options,
    long committed,
    long poisonCommitted,
    long published,
    long publishedRecords,
    long phantoms,
    long applied,
    long duplicates,
    long lost,
    long deadLettered,
    long deadLetterRecords,
    long wronglyDeadLettered,
    long poisonApplied,
    long orderViolations,
    Map<String, Long> latency,
    Map<FaultKind, Integer> faults,
    long handlerFailures,
    long outageFailures,
    long crashes,
    long relayDeaths,
    long consumerDeaths,
    long seconds) {

  public Report {
    latency = Map.copyOf(latency);
    faults = Map.copyOf(faults);
  }

  /** True when every invariant holds. */
  public boolean holds() {
    return lost == 0
        && duplicates == 0
        && phantoms == 0
        && wronglyDeadLettered == 0
        && poisonApplied == 0
        && orderViolations == 0
        && relayDeaths == 0
        && consumerDeaths == 0
        && deadLettered == poisonCommitted;
  }

  /** The report as a Markdown table, as published in {@code docs/reliability.md}. */
  public String toMarkdown() {
    StringBuilder out = new StringBuilder();
    out.append("| figure | value |\n|---|---|\n");
    row(out, "options", "`" + options.toArgs() + "`");
    row(out, "committed messages", committed);
    row(out, "of which poison", poisonCommitted);
    row(out, "published (distinct ids)", published);
    row(out, "records on the source topic (re-sends included)", publishedRecords);
    row(out, "published without a commit (must be 0)", phantoms);
    row(out, "applied effects (distinct ids)", applied);
    row(out, "duplicates applied (must be 0)", duplicates);
    row(out, "lost (must be 0)", lost);
    row(out, "dead-lettered (distinct ids; must equal poison)", deadLettered);
    row(out, "records on the dead-letter topic", deadLetterRecords);
    row(out, "good messages dead-lettered (must be 0)", wronglyDeadLettered);
    row(out, "poison applied (must be 0)", poisonApplied);
    row(out, "per-key order violations on the source topic (must be 0)", orderViolations);
    for (FaultKind kind : FaultKind.values()) {
      row(out, "fault " + kind.name().toLowerCase(Locale.ROOT), faults.getOrDefault(kind, 0));
    }
    row(out, "transient handler failures injected", handlerFailures);
    row(out, "handler calls failed by the outage", outageFailures);
    row(out, "consumer crashes after commit", crashes);
    row(out, "relays that died on their own (must be 0)", relayDeaths);
    row(out, "consumers that died on their own (must be 0)", consumerDeaths);
    for (String p : new String[] {"p50", "p90", "p99", "p99.9", "max"}) {
      row(out, "end-to-end latency " + p + " (ms)", latency.getOrDefault(p, -1L));
    }
    for (String stage :
        new String[] {
          "write to publish p50",
          "write to publish p99",
          "publish to effect p50",
          "publish to effect p99"
        }) {
      row(out, stage + " (ms)", latency.getOrDefault(stage, -1L));
    }
    row(out, "wall time (s)", seconds);
    row(out, "invariants hold", holds());
    return out.toString();
  }

  private static void row(StringBuilder out, String name, Object value) {
    out.append("| ").append(name).append(" | ").append(value).append(" |\n");
  }
}
