package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ConfigDefTest {
  static final ConfigKey<Integer> BATCH_SIZE =
      ConfigKey.integer("backstop.outbox.batch-size", 100, "rows per relay batch").atLeast(1);
  static final ConfigKey<Duration> POLL =
      ConfigKey.duration("backstop.outbox.poll-interval", Duration.ofMillis(250), "idle poll")
          .atLeast(Duration.ofMillis(1));
  static final ConfigKey<Duration> MAX_POLL =
      ConfigKey.duration("backstop.outbox.max-poll-interval", Duration.ofSeconds(5), "backoff cap");
  static final ConfigKey<String> TABLE =
      ConfigKey.string("backstop.outbox.table", "backstop_outbox", "table name")
          .matching(Pattern.compile("[a-z_]+"), "must be lower-case letters and _");
  static final ConfigKey<String> PASSWORD =
      ConfigKey.string("backstop.outbox.password", null, "db password").secret();
  static final ConfigKey<String> GROUP =
      ConfigKey.string("backstop.outbox.group-id", null, "group").required();
  static final ConfigKey<Boolean> ENABLED =
      ConfigKey.bool("backstop.outbox.enabled", true, "on/off");
  static final ConfigKey<Double> RATIO =
      ConfigKey.decimal("backstop.outbox.ratio", 0.5, "ratio").between(0, 1);
  static final ConfigKey<Long> RETENTION =
      ConfigKey.longValue("backstop.outbox.retention-rows", 1000L, "rows kept").atLeast(0);
  static final ConfigKey<List<String>> TOPICS =
      ConfigKey.list("backstop.outbox.topics", List.of(), "topics");
  static final ConfigKey<List<Duration>> TIERS =
      ConfigKey.durationList("backstop.outbox.tiers", List.of(Duration.ofSeconds(1)), "tiers")
          .atLeast(Duration.ofSeconds(1));

  static final ConfigDef DEF =
      ConfigDef.builder("backstop.outbox.")
          .define(BATCH_SIZE, POLL, MAX_POLL, TABLE, PASSWORD, GROUP, ENABLED, RATIO, RETENTION)
          .define(TOPICS, TIERS)
          .check(
              MAX_POLL.name(),
              v -> v.get(MAX_POLL).compareTo(v.get(POLL)) >= 0,
              "must be at least backstop.outbox.poll-interval")
          .build();

  @Test
  void parsesEveryTypeAndFallsBackToDefaults() {
    ConfigValues v =
        DEF.parse(
            Map.of(
                GROUP.name(),
                "g1",
                BATCH_SIZE.name(),
                " 500 ",
                ENABLED.name(),
                "FALSE",
                RATIO.name(),
                "0.25",
                TOPICS.name(),
                "a, b,,c",
                TIERS.name(),
                "1s,30s,10m",
                "backstop.retry.other-module",
                "ignored",
                "kafka.bootstrap.servers",
                "ignored"));

    assertThat(v.get(BATCH_SIZE)).isEqualTo(500);
    assertThat(v.get(ENABLED)).isFalse();
    assertThat(v.get(RATIO)).isEqualTo(0.25);
    assertThat(v.get(TOPICS)).containsExactly("a", "b", "c");
    assertThat(v.get(TIERS))
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(10));
    assertThat(v.get(POLL)).isEqualTo(Duration.ofMillis(250));
    assertThat(v.get(PASSWORD)).isNull();
    assertThat(v.isSet(BATCH_SIZE)).isTrue();
    assertThat(v.isSet(POLL)).isFalse();
  }

  @Test
  void blankValueMeansDefault() {
    ConfigValues v = DEF.parse(Map.of(GROUP.name(), "g", BATCH_SIZE.name(), "  "));

    assertThat(v.get(BATCH_SIZE)).isEqualTo(100);
    assertThat(v.isSet(BATCH_SIZE)).isFalse();
  }

  @Test
  void reportsMessageShapesOfTheContract() {
    assertThatThrownBy(
            () -> DEF.parse(Map.of(BATCH_SIZE.name(), "0", "backstop.outbox.bach-size", "5")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            String.join(
                "\n",
                "Invalid value 0 for backstop.outbox.batch-size: must be at least 1",
                "Missing value for backstop.outbox.group-id: required",
                "Unknown key backstop.outbox.bach-size: did you mean backstop.outbox.batch-size?"));
  }

  @Test
  void shortensAHugeValueInTheMessage() {
    String huge = "9".repeat(100_000);
    assertThatThrownBy(() -> DEF.parse(Map.of(GROUP.name(), "g", BATCH_SIZE.name(), huge)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid value 999")
        .hasMessageContaining("…(100000 characters) for backstop.outbox.batch-size")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void reportsEveryProblemInOneException() {
    Map<String, String> bad =
        Map.ofEntries(
            Map.entry(GROUP.name(), "g"),
            Map.entry(BATCH_SIZE.name(), "-5"),
            Map.entry(POLL.name(), "5 seconds"),
            Map.entry(TABLE.name(), "Orders"),
            Map.entry(ENABLED.name(), "yes"),
            Map.entry(RATIO.name(), "1.5"),
            Map.entry(RETENTION.name(), "-1"),
            Map.entry(TIERS.name(), "1s,30x"),
            Map.entry("backstop.outbox.pol-interval", "1s"),
            Map.entry("backstop.outbox.xyz", "1"));

    ConfigException e = catchConfig(bad);

    assertThat(e.problems())
        .containsExactly(
            "Invalid value -5 for backstop.outbox.batch-size: must be at least 1",
            "Invalid value 5 seconds for backstop.outbox.poll-interval: " + Durations.RULE,
            "Invalid value Orders for backstop.outbox.table: must be lower-case letters and _",
            "Invalid value yes for backstop.outbox.enabled: must be true or false",
            "Invalid value 1.5 for backstop.outbox.ratio: must be between 0 and 1",
            "Invalid value -1 for backstop.outbox.retention-rows: must be at least 0",
            "Invalid value 1s,30x for backstop.outbox.tiers: must be a comma-separated list of"
                + " durations like 1s,30s,10m; '30x' is not a duration (a whole number followed by"
                + " ms, s, m, h or d)",
            "Unknown key backstop.outbox.pol-interval: did you mean backstop.outbox.poll-interval?",
            "Unknown key backstop.outbox.xyz: known keys are "
                + String.join(", ", DEF.keys().stream().map(ConfigKey::name).toList()));
    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
  }

  @Test
  void reportsContradictionBetweenTwoKeys() {
    assertThatThrownBy(
            () -> DEF.parse(Map.of(GROUP.name(), "g", POLL.name(), "10s", MAX_POLL.name(), "5s")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value 5s for backstop.outbox.max-poll-interval: must be at least"
                + " backstop.outbox.poll-interval");
  }

  @Test
  void skipsCrossCheckWhenAKeyItReadsIsInvalid() {
    ConfigException e =
        catchConfig(Map.of(GROUP.name(), "g", POLL.name(), "fast", MAX_POLL.name(), "5s"));

    assertThat(e.problems()).hasSize(1).first().asString().startsWith("Invalid value fast for");
  }

  @Test
  void rejectsNonNumbersForNumberKeys() {
    ConfigException e =
        catchConfig(
            Map.of(
                GROUP.name(),
                "g",
                BATCH_SIZE.name(),
                "ten",
                RETENTION.name(),
                "99999999999999999999",
                RATIO.name(),
                "NaN"));

    assertThat(e.problems())
        .containsExactly(
            "Invalid value ten for backstop.outbox.batch-size: must be a whole number",
            "Invalid value NaN for backstop.outbox.ratio: must be a number like 2 or 0.5",
            "Invalid value 99999999999999999999 for backstop.outbox.retention-rows: must be a whole number");
  }

  @Test
  void masksSecretsInErrorsAndDescription() {
    ConfigKey<String> token =
        ConfigKey.string("backstop.x.token", null, "t")
            .secret()
            .check(s -> s.length() > 8, "too short");
    ConfigDef def = ConfigDef.builder("backstop.x.").define(token).build();

    assertThatThrownBy(() -> def.parse(Map.of(token.name(), "hunter2")))
        .hasMessage("Invalid value **** for backstop.x.token: too short")
        .hasMessageNotContaining("hunter2");
    assertThat(def.describe(def.parse(Map.of(token.name(), "correct-horse"))))
        .isEqualTo("backstop.x.token = ****\n");
  }

  @Test
  void describesResolvedConfiguration() {
    ConfigValues v =
        DEF.parse(Map.of(GROUP.name(), "g", PASSWORD.name(), "s3cret", TIERS.name(), "1s,1500ms"));

    String described = DEF.describe(v);

    assertThat(described)
        .contains("backstop.outbox.batch-size = 100 (default)\n")
        .contains("backstop.outbox.poll-interval = 250ms (default)\n")
        .contains("backstop.outbox.password = ****\n")
        .contains("backstop.outbox.group-id = g\n")
        .contains("backstop.outbox.tiers = 1s,1500ms\n")
        .contains("backstop.outbox.topics =  (default)\n")
        .doesNotContain("s3cret");
  }

  @Test
  void keyMetadata() {
    assertThat(BATCH_SIZE.name()).isEqualTo("backstop.outbox.batch-size");
    assertThat(BATCH_SIZE.doc()).isEqualTo("rows per relay batch");
    assertThat(BATCH_SIZE.defaultValue()).isEqualTo(100);
    assertThat(GROUP.defaultValue()).isNull();
    assertThat(GROUP.isRequired()).isTrue();
    assertThat(PASSWORD.isSecret()).isTrue();
    assertThat(POLL.render(Duration.ofSeconds(90))).isEqualTo("90s");
  }

  @Test
  void refinementsReturnNewKeys() {
    ConfigKey<Integer> base = ConfigKey.integer("backstop.x.n", 5, "n");
    ConfigKey<Integer> refined = base.atLeast(10);
    ConfigDef def = ConfigDef.builder("backstop.x.").define(base).build();

    assertThat(def.parse(Map.of("backstop.x.n", "7")).get(base)).isEqualTo(7);
    assertThat(refined).isNotSameAs(base);
  }

  @Test
  void rangeRulesOnWrongTypeFailAtDefinition() {
    assertThatThrownBy(() -> ConfigKey.string("backstop.x.s", "a", "s").atLeast(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("atLeast(Number) does not apply to string key backstop.x.s");
    assertThatThrownBy(() -> ConfigKey.integer("backstop.x.i", 1, "i").atLeast(Duration.ZERO))
        .hasMessage("atLeast(Duration) does not apply to integer key backstop.x.i");
  }

  @Test
  void definitionMistakesFailAtBuild() {
    ConfigKey<Integer> n = ConfigKey.integer("backstop.x.n", 0, "n").atLeast(1);
    assertThatThrownBy(() -> ConfigDef.builder("backstop.x.").define(n))
        .hasMessage("the default of backstop.x.n breaks its own rule: must be at least 1");
    ConfigKey<Integer> m = ConfigKey.integer("backstop.x.m", 1, "m");
    assertThatThrownBy(() -> ConfigDef.builder().define(m, m))
        .hasMessage("key backstop.x.m is defined twice");
    assertThatThrownBy(
            () -> ConfigDef.builder().define(m).check("backstop.x.z", v -> true, "r").build())
        .hasMessage("check on undefined key backstop.x.z");
  }

  @Test
  void getOfUndefinedKeyIsRejected() {
    ConfigValues v = DEF.parse(Map.of(GROUP.name(), "g"));

    assertThatThrownBy(() -> v.get(ConfigKey.integer("backstop.other.n", 1, "n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("backstop.other.n is not defined in this configuration");
  }

  @Test
  void betweenDurationsAndListRules() {
    ConfigKey<Duration> d =
        ConfigKey.duration("backstop.x.d", Duration.ofSeconds(1), "d")
            .between(Duration.ofSeconds(1), Duration.ofMinutes(1));
    ConfigKey<List<String>> names =
        ConfigKey.list("backstop.x.names", List.of(), "n")
            .matching(Pattern.compile("[a-z]+"), "must be lower-case");
    ConfigDef def = ConfigDef.builder("backstop.x.").define(d, names).build();

    assertThat(catchConfig(def, Map.of(d.name(), "2m", names.name(), "ok,NOT")).problems())
        .containsExactly(
            "Invalid value 2m for backstop.x.d: must be between 1s and 1m",
            "Invalid value ok,NOT for backstop.x.names: must be lower-case");
  }

  @Test
  void listRangeRuleNamesEveryItem() {
    assertThat(catchConfig(Map.of(GROUP.name(), "g", TIERS.name(), "1s,500ms")).problems())
        .containsExactly(
            "Invalid value 1s,500ms for backstop.outbox.tiers: every item must be at least 1s");
  }

  @Test
  void parsesBackstopProperties() {
    java.util.Properties p = new java.util.Properties();
    p.setProperty(GROUP.name(), "${GROUP:fallback}");

    ConfigValues v = DEF.parse(BackstopProperties.from(p, Map.of()));

    assertThat(v.get(GROUP)).isEqualTo("fallback");
  }

  private static ConfigException catchConfig(Map<String, String> props) {
    return catchConfig(DEF, props);
  }

  private static ConfigException catchConfig(ConfigDef def, Map<String, String> props) {
    try {
      def.parse(props);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException for " + props);
  }
}
