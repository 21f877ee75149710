package dev.backstop.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class FailureAnalyzerTest {

  @Test
  void tiersOutOfOrderFailTheStartWithTheValidationMessage(CapturedOutput output) {
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(TestApplication.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.autoconfigure.exclude="
                    + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "backstop.consumers.payments.topics=orders",
                "backstop.consumers.payments.retry.tiers=30s,1s");

    assertThatThrownBy(app::run).hasRootCauseInstanceOf(dev.backstop.core.ConfigException.class);
    assertThat(output.toString())
        .contains("APPLICATION FAILED TO START")
        .contains("Backstop's configuration is invalid:")
        .contains(
            "Invalid value 30s,1s for backstop.consumers.payments.retry.tiers: must be positive"
                + " durations, each at least the one before it")
        .contains("Correct the backstop.* properties named above");
  }
}
