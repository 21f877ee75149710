package dev.backstop.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Maps an exception to an action (for example retry or dead-letter) by rules. It walks the cause
 * chain from the outermost exception inwards; at each level the first matching rule in declaration
 * order wins. When nothing matches, the {@link Builder#orElse fallback} applies.
 *
 * <p>Thread-safety: immutable and thread-safe once built, provided the rule predicates are.
 *
 * @param <A> action type
 */
public final class ErrorClassifier<A> {
  private final List<Rule<A>> rules;
  private final A fallback;

  private ErrorClassifier(List<Rule<A>> rules, A fallback) {
    this.rules = List.copyOf(rules);
    this.fallback = fallback;
  }

  /** Starts an empty classifier. */
  public static <A> Builder<A> builder() {
    return new Builder<>();
  }

  /** Classifies {@code error}, looking at it and then each of its causes. */
  public Classification<A> classify(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      for (Rule<A> rule : rules) {
        if (rule.test().test(t)) {
          return new Classification<>(rule.action(), rule.name(), t);
        }
      }
    }
    return new Classification<>(fallback, Classification.DEFAULT_RULE, error);
  }

  private record Rule<A>(String name, Predicate<Throwable> test, A action) {}

  /**
   * Collects rules in order.
   *
   * <p>Thread-safety: not thread-safe; build on one thread.
   */
  public static final class Builder<A> {
    private final List<Rule<A>> rules = new ArrayList<>();
    private A fallback;

    private Builder() {}

    /** Matches {@code type} and its subclasses; the rule is named after the class. */
    public Builder<A> on(Class<? extends Throwable> type, A action) {
      return on(type.getName(), type::isInstance, action);
    }

    /** Matches exceptions for which {@code test} is true; the rule is called {@code ruleName}. */
    public Builder<A> on(String ruleName, Predicate<Throwable> test, A action) {
      rules.add(
          new Rule<>(
              Objects.requireNonNull(ruleName, "ruleName"),
              Objects.requireNonNull(test, "test"),
              Objects.requireNonNull(action, "action")));
      return this;
    }

    /**
     * Like {@link #on(Class, Object)} for a class given by name, as read from configuration.
     *
     * @throws ConfigException naming the class when it cannot be loaded or is not a Throwable
     */
    public Builder<A> onClassName(String fqcn, A action) {
      return on(loadThrowable(fqcn), action);
    }

    /** The action when no rule matches. */
    public Builder<A> orElse(A action) {
      this.fallback = action;
      return this;
    }

    /** The classifier with the rules so far. */
    public ErrorClassifier<A> build() {
      return new ErrorClassifier<>(rules, fallback);
    }

    private static Class<? extends Throwable> loadThrowable(String fqcn) {
      Class<?> type = load(fqcn == null ? "" : fqcn.strip());
      if (!Throwable.class.isAssignableFrom(type)) {
        throw new ConfigException(
            "Invalid exception class " + fqcn + ": " + type.getName() + " is not a Throwable");
      }
      return type.asSubclass(Throwable.class);
    }

    private static Class<?> load(String fqcn) {
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      for (ClassLoader loader :
          new ClassLoader[] {context, ErrorClassifier.class.getClassLoader()}) {
        try {
          return Class.forName(fqcn, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
          // try the next loader
        }
      }
      throw new ConfigException(
          "Invalid exception class " + fqcn + ": not found on the class path");
    }
  }
}
