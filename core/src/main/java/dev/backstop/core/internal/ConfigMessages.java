package dev.backstop.core.internal;

/** The one shape of a configuration problem. Stateless. */
public final class ConfigMessages {

  /** Values longer than this are shortened in messages, so a hostile value cannot flood a log. */
  public static final int MAX_SHOWN_VALUE_CHARS = 120;

  private ConfigMessages() {}

  /** {@code Invalid value V for key: rule}, with V shortened when it is very long. */
  public static String invalid(String value, String key, String rule) {
    return "Invalid value " + shorten(value) + " for " + key + ": " + rule;
  }

  static String shorten(String value) {
    if (value == null || value.length() <= MAX_SHOWN_VALUE_CHARS) {
      return value;
    }
    return value.substring(0, MAX_SHOWN_VALUE_CHARS) + "…(" + value.length() + " characters)";
  }
}
