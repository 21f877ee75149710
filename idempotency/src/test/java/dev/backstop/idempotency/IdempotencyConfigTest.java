package dev.backstop.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.ConfigException;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class IdempotencyConfigTest {

  @Test
  void defaultsApplyWhenOnlyTheGroupIsGiven() {
    IdempotencyConfig config = IdempotencyConfig.builder().group("payments").build();
    assertThat(config.group()).isEqualTo("payments");
    assertThat(config.tableName()).isEqualTo("backstop_processed_messages");
    assertThat(config.dialect()).isEqualTo("auto");
    assertThat(config.autoCreateSchema()).isFalse();
    assertThat(config.retention()).isEqualTo(IdempotencyConfig.RETENTION.defaultValue());
    assertThat(config.requiredRetention()).isEqualTo(Duration.ZERO);
    assertThat(config.missingKey()).isEqualTo(MissingKeyPolicy.REJECT);
    assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.sweeperInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.sweeperBatchSize()).isEqualTo(500);
  }

  @Test
  void propertiesAndBuilderGiveTheSameConfig() {
    Properties props = new Properties();
    props.setProperty("backstop.idempotency.group", "payments");
    props.setProperty("backstop.idempotency.table-prefix", "billing.app_");
    props.setProperty("backstop.idempotency.retention", "2d");
    props.setProperty("backstop.idempotency.required-retention", "1d");
    props.setProperty("backstop.idempotency.missing-key", "no-dedup");
    props.setProperty("backstop.idempotency.sweeper.batch-size", "100");
    props.setProperty("backstop.retry.tiers", "1s,30s"); // another module's key: ignored here
    IdempotencyConfig fromProps = IdempotencyConfig.from(props);
    IdempotencyConfig built =
        IdempotencyConfig.builder()
            .group("payments")
            .tablePrefix("billing.app_")
            .retention(Duration.ofDays(2))
            .requiredRetention(Duration.ofDays(1))
            .missingKey(MissingKeyPolicy.NO_DEDUP)
            .sweeperBatchSize(100)
            .build();
    assertThat(fromProps.describe()).isEqualTo(built.describe());
    assertThat(fromProps.tableName()).isEqualTo("billing.app_processed_messages");
    assertThat(fromProps.missingKey()).isEqualTo(MissingKeyPolicy.NO_DEDUP);
  }

  @Test
  void rejectsRetentionShorterThanTheRequiredMinimum() {
    assertThatThrownBy(
            () ->
                IdempotencyConfig.builder()
                    .group("payments")
                    .retention(Duration.ofHours(1))
                    .requiredRetention(Duration.ofHours(3))
                    .build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("backstop.idempotency.retention")
        .hasMessageContaining("backstop.idempotency.required-retention")
        .hasMessageContaining("replay horizon");
  }

  @Test
  void rejectsHostileOrMalformedTablePrefixes() {
    for (String prefix : new String[] {"x; DROP TABLE t; --", "1abc", "a-b", "A.b", "a.b.c"}) {
      assertThatThrownBy(() -> IdempotencyConfig.builder().group("g").tablePrefix(prefix).build())
          .as(prefix)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("backstop.idempotency.table-prefix");
    }
  }

  @Test
  void reportsEveryProblemAtOnceAndUnknownKeys() {
    ConfigException error =
        (ConfigException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    IdempotencyConfig.builder()
                        .set("backstop.idempotency.missing-key", "ignore")
                        .set("backstop.idempotency.sweeper.batch-size", "0")
                        .set("backstop.idempotency.retension", "1d")
                        .build());
    assertThat(error.problems()).hasSizeGreaterThanOrEqualTo(4);
    assertThat(error.getMessage())
        .contains("backstop.idempotency.group")
        .contains("backstop.idempotency.missing-key")
        .contains("backstop.idempotency.sweeper.batch-size")
        .contains("did you mean backstop.idempotency.retention");
  }

  @Test
  void rejectsALeaseAsLongAsTheRetention() {
    assertThatThrownBy(
            () ->
                IdempotencyConfig.builder()
                    .group("g")
                    .retention(Duration.ofMinutes(1))
                    .leaseDuration(Duration.ofMinutes(1))
                    .build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("backstop.idempotency.lease-duration");
  }

  @Test
  void acceptsARetentionThatCoversTheLongestRetryPath() {
    IdempotencyConfig config =
        IdempotencyConfig.builder()
            .group("payments")
            .retention(Duration.ofDays(3))
            .requiredRetention(Duration.ofDays(2))
            .build();

    assertThat(config.requireRetentionCovers(Duration.ofHours(25))).isSameAs(config);
  }

  @Test
  void rejectsARequiredRetentionShorterThanTheLongestRetryPathNamingBothSides() {
    IdempotencyConfig config =
        IdempotencyConfig.builder()
            .group("payments")
            .retention(Duration.ofDays(7))
            .requiredRetention(Duration.ofHours(1))
            .build();

    assertThatThrownBy(() -> config.requireRetentionCovers(Duration.ofHours(2)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "Invalid value 1h for backstop.idempotency.required-retention: must be at least the"
                + " consumer's longest retry path, 2h (backstop.retry.tiers with the full"
                + " backstop.retry.jitter, cut by backstop.retry.max-age) plus the dead-letter"
                + " replay horizon")
        .message()
        .doesNotContain("backstop.idempotency.retention:");
  }

  @Test
  void rejectsARetentionShorterThanTheLongestRetryPathWhenNoRequiredRetentionIsSet() {
    IdempotencyConfig config =
        IdempotencyConfig.builder().group("payments").retention(Duration.ofMinutes(10)).build();

    assertThatThrownBy(() -> config.requireRetentionCovers(Duration.ofMinutes(12)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "Invalid value 10m for backstop.idempotency.retention: must be at least the"
                + " consumer's longest retry path, 12m")
        .hasMessageContaining("a record retried after that is applied again");
  }
}
