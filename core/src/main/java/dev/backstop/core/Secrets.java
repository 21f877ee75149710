package dev.backstop.core;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of logs and messages: the values of {@link ConfigKey#secret() secret keys} and
 * of Kafka client properties that hold credentials print as {@link #MASK}.
 *
 * <p>Thread-safety: stateless.
 */
public final class Secrets {
  /** What a secret value prints as. */
  public static final String MASK = "****";

  private static final Pattern INLINE_SECRET =
      Pattern.compile(
          "(password|secret|token)(\\s*=\\s*)(\"[^\"]*\"|\\S+)", Pattern.CASE_INSENSITIVE);

  private Secrets() {}

  /**
   * Whether a Kafka client property (without {@code kafka.}) holds a secret: passwords, JAAS
   * configurations, keys, tokens, credentials.
   */
  public static boolean isSecretKafkaKey(String kafkaKey) {
    String key = kafkaKey.toLowerCase(Locale.ROOT);
    return key.contains("password")
        || key.contains("jaas")
        || key.contains("secret")
        || key.contains("token")
        || key.contains("credential")
        || key.contains("user.info")
        || key.endsWith(".key");
  }

  /** The value of a Kafka client property as it may be shown: masked when it holds a secret. */
  public static String showKafka(String kafkaKey, Object value) {
    return isSecretKafkaKey(kafkaKey) ? MASK : String.valueOf(value);
  }

  /**
   * {@code text} with every secret value of {@code kafka}, and every {@code password=…} style pair,
   * replaced by {@link #MASK}; for error messages that may quote a client setting.
   */
  public static String redact(String text, Map<String, Object> kafka) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (Map.Entry<String, Object> e : kafka.entrySet()) {
      String value = String.valueOf(e.getValue());
      if (isSecretKafkaKey(e.getKey()) && !value.isEmpty()) {
        result = result.replace(value, MASK);
      }
    }
    Matcher m = INLINE_SECRET.matcher(result);
    return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + r.group(2) + MASK));
  }
}
