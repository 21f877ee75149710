package dev.backstop.dlq.internal;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Keeps secrets of Kafka client properties out of output. Stateless and thread-safe. */
public final class Secrets {
  /** What a secret value prints as. */
  public static final String HIDDEN = "[hidden]";

  private static final Pattern JAAS_SECRET =
      Pattern.compile(
          "(password|secret|token)(\\s*=\\s*)(\"[^\"]*\"|\\S+)", Pattern.CASE_INSENSITIVE);

  private Secrets() {}

  /** Whether a Kafka client property (without {@code kafka.}) holds a secret. */
  public static boolean isSecret(String kafkaKey) {
    String key = kafkaKey.toLowerCase(Locale.ROOT);
    return key.contains("password")
        || key.contains("jaas")
        || key.contains("secret")
        || key.contains("token")
        || key.contains("credential")
        || key.contains("user.info")
        || key.endsWith(".key");
  }

  /**
   * {@code text} with every secret property value, and every {@code password=…} style pair,
   * replaced by {@link #HIDDEN}.
   */
  public static String redact(String text, Map<String, Object> kafka) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (Map.Entry<String, Object> e : kafka.entrySet()) {
      String value = String.valueOf(e.getValue());
      if (isSecret(e.getKey()) && !value.isEmpty()) {
        result = result.replace(value, HIDDEN);
      }
    }
    Matcher m = JAAS_SECRET.matcher(result);
    return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + r.group(2) + HIDDEN));
  }
}
