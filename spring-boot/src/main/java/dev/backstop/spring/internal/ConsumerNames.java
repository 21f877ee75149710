package dev.backstop.spring.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the keys of one consumer, {@code backstop.consumers.<name>.*}, map to the keys of the plain
 * modules: {@code retry.*}, {@code dlq.*} and {@code idempotency.*} keep their section ({@code
 * backstop.consumers.payments.retry.tiers} is {@code backstop.retry.tiers}); the starter's own keys
 * ({@code handler}, ...) are {@code backstop.consumers.*.handler}; anything else is a {@code
 * backstop.consumer.*} key ({@code group-id}, {@code concurrency}, {@code circuit.open-wait}).
 * Thread-safe.
 */
public final class ConsumerNames {
  private static final String STARTER = "backstop.consumers.*.";
  private static final Pattern PLAIN =
      Pattern.compile("backstop\\.(consumers\\.\\*\\.|consumer\\.|retry\\.|dlq\\.|idempotency\\.)");

  private ConsumerNames() {}

  /** The full key name of {@code relative}, a name under {@code backstop.consumers.<name>.}. */
  public static String fullName(String relative, java.util.Collection<String> starterRelative) {
    if (starterRelative.contains(relative)) {
      return STARTER + relative;
    }
    for (String section : new String[] {"retry.", "dlq.", "idempotency."}) {
      if (relative.startsWith(section)) {
        return "backstop." + relative;
      }
    }
    return "backstop.consumer." + relative;
  }

  /** The name under {@code backstop.consumers.<name>.} of a full key name. */
  public static String relativeName(String full) {
    if (full.startsWith(STARTER)) {
      return full.substring(STARTER.length());
    }
    if (full.startsWith("backstop.consumer.")) {
      return full.substring("backstop.consumer.".length());
    }
    return full.substring("backstop.".length());
  }

  /**
   * {@code text} with every plain key name rewritten as the Spring key of consumer {@code name}.
   */
  public static String inSpringTerms(String text, String name) {
    Matcher m = PLAIN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String section = m.group(1);
      String replacement =
          section.equals("consumers.*.") || section.equals("consumer.")
              ? "backstop.consumers." + name + "."
              : "backstop.consumers." + name + "." + section;
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
