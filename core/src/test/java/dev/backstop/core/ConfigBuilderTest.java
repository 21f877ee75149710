package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConfigBuilderTest {
  static final ConfigKey<Duration> LEASE =
      ConfigKey.duration("backstop.demo.lease", Duration.ofSeconds(10), "lease");
  static final ConfigKey<Duration> TIMEOUT =
      ConfigKey.duration("backstop.demo.timeout", Duration.ofSeconds(2), "timeout");
  static final ConfigKey<List<Duration>> TIERS =
      ConfigKey.durationList("backstop.demo.tiers", List.of(Duration.ofSeconds(1)), "tiers");
  static final ConfigKey<String> MODE =
      ConfigKey.choice("backstop.demo.mode", "fast", "mode", "fast", "safe");
  static final ConfigKey<String> TOKEN =
      ConfigKey.string("backstop.demo.token", "", "token").secret();

  static final ConfigDef DEF =
      ConfigDef.builder("backstop.demo.")
          .define(LEASE, TIMEOUT, TIERS, MODE, TOKEN)
          .check(
              TIMEOUT,
              v -> v.get(TIMEOUT).multipliedBy(2).compareTo(v.get(LEASE)) <= 0,
              v -> "must be at most half of " + LEASE.name() + "=" + LEASE.format(v.get(LEASE)))
          .rejectKafkaKey("transactional.id", "set by the module; remove the key")
          .build();

  /** A module configuration in the shape every Backstop module uses. */
  record Demo(ConfigValues values) {
    static Demo from(BackstopProperties properties) {
      return new Demo(DEF.parse(properties));
    }

    static Builder builder() {
      return new Builder();
    }

    static final class Builder extends ConfigBuilder.WithKafka<Demo, Builder> {
      Builder() {
        super(Demo::from);
      }

      Builder lease(Duration lease) {
        return set(LEASE, lease);
      }
    }
  }

  @Test
  void builtAndReadFromPropertiesAreTheSame() {
    Properties file = new Properties();
    file.setProperty("backstop.demo.lease", "30s");
    file.setProperty("backstop.demo.tiers", "1s,1m");
    file.setProperty("backstop.demo.token", "t0ken");
    file.setProperty("kafka.bootstrap.servers", "k:1");
    file.setProperty("kafka.ssl.key.password", "kp");
    Demo fromFile = Demo.from(BackstopProperties.from(file, Map.of()));

    Demo built =
        Demo.builder()
            .lease(Duration.ofSeconds(30))
            .set(TIERS, List.of(Duration.ofSeconds(1), Duration.ofMinutes(1)))
            .set(TOKEN, "t0ken")
            .bootstrapServers("k:1")
            .kafka(Map.of("ssl.key.password", "kp"))
            .build();

    assertThat(DEF.describe(built.values())).isEqualTo(DEF.describe(fromFile.values()));
    assertThat(built.values().kafka()).containsEntry("bootstrap.servers", "k:1");
    assertThat(DEF.describe(built.values()))
        .isEqualTo(
            """
            backstop.demo.lease = 30s
            backstop.demo.timeout = 2s (default)
            backstop.demo.tiers = 1s,1m
            backstop.demo.mode = fast (default)
            backstop.demo.token = ****
            kafka.bootstrap.servers = k:1
            kafka.ssl.key.password = ****
            """);
  }

  @Test
  void aNullValueRemovesTheKey() {
    Demo demo = Demo.builder().lease(Duration.ofSeconds(30)).lease(null).build();
    assertThat(demo.values().isSet(LEASE)).isFalse();
  }

  @Test
  void everyProblemIsReportedOnceWithRulesThatQuoteOtherValues() {
    assertThatThrownBy(
            () ->
                Demo.builder()
                    .lease(Duration.ofSeconds(3))
                    .set(MODE, "slow")
                    .kafka("transactional.id", "x")
                    .build())
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "Invalid value slow for backstop.demo.mode: must be one of fast, safe",
                        "Invalid value 2s for backstop.demo.timeout: must be at most half of"
                            + " backstop.demo.lease=3s",
                        "Invalid key kafka.transactional.id: set by the module; remove the key"));
  }

  @Test
  void formatIsTheTextParsingReadsBack() {
    assertThat(TIERS.format(List.of(Duration.ofMillis(1500), Duration.ofHours(2))))
        .isEqualTo("1500ms,2h");
    assertThat(TOKEN.format("visible"))
        .as("format is for writing, not for logs")
        .isEqualTo("visible");
    assertThat(TOKEN.render("visible")).isEqualTo(Secrets.MASK);
  }

  @Test
  void secretsAreMaskedInTextThatQuotesThem() {
    Map<String, Object> kafka = Map.of("sasl.jaas.config", "user=\"u\" password=\"pw\";");
    assertThat(Secrets.redact("failed: user=\"u\" password=\"pw\";", kafka))
        .isEqualTo("failed: " + Secrets.MASK);
    assertThat(Secrets.redact("login failed: token=abc", Map.of()))
        .isEqualTo("login failed: token=****");
    assertThat(Secrets.isSecretKafkaKey("ssl.truststore.password")).isTrue();
    assertThat(Secrets.isSecretKafkaKey("bootstrap.servers")).isFalse();
  }
}
