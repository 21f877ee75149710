package dev.backstop.spring;

import dev.backstop.core.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start that failed on Backstop configuration: every problem, one a line, in the
 * modules' own words ({@code Invalid value 30s,1s for backstop.consumers.payments.retry.tiers: must
 * be positive durations, each at least the one before it}).
 */
public final class BackstopConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
    StringBuilder description = new StringBuilder("Backstop's configuration is invalid:\n");
    cause.problems().forEach(p -> description.append("\n    ").append(p));
    return new FailureAnalysis(
        description.toString(),
        "Correct the backstop.* properties named above (application.properties, application.yml"
            + " or the environment). Every key, with its default, is listed in docs/spring-boot.md.",
        cause);
  }
}
