package dev.backstop.dlq.internal;

import dev.backstop.dlq.DeadLetter;
import dev.backstop.dlq.DlqException;
import dev.backstop.dlq.ReplayTarget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resolves and vets replay targets: the named topic or each record's original topic, which must be
 * on the allow-list (when one is configured) and exist. Existence is asked once per topic. Not
 * thread-safe: used by the replay thread.
 */
final class ReplayTargets {
  /** Kafka's rule for topic names: letters, digits, '.', '_', '-', at most 249. */
  private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private final KafkaClients clients;
  private final ReplayTarget target;
  private final List<Pattern> allowed;
  private final Map<String, Boolean> exists = new HashMap<>();

  ReplayTargets(KafkaClients clients, ReplayTarget target) {
    this.clients = clients;
    this.target = target;
    this.allowed = clients.config().allowedTargets().stream().map(ReplayTargets::glob).toList();
  }

  /** Fails before anything is read when a named target is not allowed or does not exist. */
  void checkNamedTarget() {
    if (target.original()) {
      return;
    }
    String reason = refusal(target.topic());
    if (reason != null) {
      throw new DlqException("Replay target refused: " + reason);
    }
  }

  /** The topic {@code letter} goes to, or {@code null} when its original topic is unknown. */
  String targetOf(DeadLetter letter) {
    return target.original() ? letter.failure().originalTopic() : target.topic();
  }

  /** Why {@code topic} may not receive replays, or {@code null} when it may. */
  String refusal(String topic) {
    if (topic == null) {
      return "no original topic in its headers: replay it with --to TOPIC";
    }
    if (!LEGAL_TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      return "target " + topic + " is not a valid topic name";
    }
    if (!allowed.isEmpty() && allowed.stream().noneMatch(p -> p.matcher(topic).matches())) {
      return "target "
          + topic
          + " is not in backstop.dlq.replay.allowed-targets ("
          + String.join(",", clients.config().allowedTargets())
          + ")";
    }
    if (!exists.computeIfAbsent(topic, clients::exists)) {
      return "target topic " + topic + " does not exist";
    }
    return null;
  }

  private static Pattern glob(String text) {
    return Pattern.compile(
        java.util.Arrays.stream(text.trim().split("\\*", -1))
            .map(Pattern::quote)
            .collect(java.util.stream.Collectors.joining(".*")));
  }
}
