package dev.backstop.core.internal;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:default}} in configuration values with environment
 * variables.
 *
 * <p>Thread-safety: stateless.
 */
public final class EnvSubstitution {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}:]*)(?::([^}]*))?}");

  private EnvSubstitution() {}

  /**
   * Returns {@code value} with every reference replaced. A variable that is unset and has no
   * default, an empty name or an unclosed {@code ${} adds a problem naming {@code key} to {@code
   * problems}; the reference is then left as written.
   */
  public static String substitute(
      String key, String value, Map<String, String> env, List<String> problems) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1).strip();
      String resolved = name.isEmpty() ? null : env.getOrDefault(name, m.group(2));
      if (resolved == null) {
        problems.add(problem(key, value, unresolved(name)));
        resolved = m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(resolved));
    }
    m.appendTail(out);
    if (REFERENCE.matcher(value).replaceAll("").contains("${")) {
      problems.add(problem(key, value, "unclosed ${ (write ${NAME} or ${NAME:default})"));
    }
    return out.toString();
  }

  private static String unresolved(String name) {
    return name.isEmpty()
        ? "empty variable name in ${}"
        : "environment variable "
            + name
            + " is not set (write ${"
            + name
            + ":default} to give a default)";
  }

  private static String problem(String key, String value, String rule) {
    return ConfigMessages.invalid(value, key, rule);
  }
}
