package dev.backstop.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.ConfigException;
import dev.backstop.core.MessageId;
import dev.backstop.core.RecordHandler;
import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Records that cannot be keyed, malformed ids, hostile table prefixes, missing tables. */
@BackstopDatabase
class BadInputIT {
  static Jdbi jdbi;
  static IdempotencyStore store;
  static final AtomicInteger runs = new AtomicInteger();

  @BeforeAll
  static void setUp(TestDatabase db) {
    jdbi = Jdbi.create(db.dataSource());
    store =
        IdempotencyStore.create(
            IdempotencyConfig.builder().group("bad").autoCreateSchema(true).build(), jdbi);
  }

  private static RecordHandler<String, String> handler(IdempotencyStore on) {
    return IdempotentHandler.<String, String>builder(jdbi, on)
        .transactional((h, r) -> runs.incrementAndGet());
  }

  private static long rows() {
    return jdbi.withHandle(
        h -> h.select("SELECT count(*) FROM backstop_processed_messages").mapTo(Long.class).one());
  }

  @Test
  void aRecordWithoutIdAndWithoutExtractorIsRejectedNamingTheRecord() {
    int before = runs.get();
    long rowsBefore = rows();
    var record = new ConsumerRecord<>("orders", 3, 42L, "k", "v");
    assertThatThrownBy(() -> handler(store).handle(record))
        .isInstanceOf(UnidentifiableRecordException.class)
        .hasMessageStartingWith("Record orders-3@42 has no backstop.message-id header")
        .hasMessageContaining("backstop.idempotency.missing-key");
    assertThat(runs.get()).isEqualTo(before);
    assertThat(rows()).isEqualTo(rowsBefore);
  }

  @Test
  void aMalformedIdIsRejectedNamingTheRecordAndTheValue() {
    int before = runs.get();
    var record = new ConsumerRecord<>("orders", 1, 7L, "k", "v");
    record
        .headers()
        .add("backstop.message-id", "42; DROP TABLE x".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> handler(store).handle(record))
        .isInstanceOf(UnidentifiableRecordException.class)
        .hasMessageContaining("orders-1@7")
        .hasMessageContaining("'42; DROP TABLE x'");
    assertThat(runs.get()).isEqualTo(before);
  }

  @Test
  void aBusinessKeyIsUsedWhenThereIsNoIdAndABadOneIsRejected() throws Exception {
    RecordHandler<String, String> byOrder =
        IdempotentHandler.<String, String>builder(jdbi, store)
            .keyExtractor(r -> r.value().isEmpty() ? null : r.value())
            .transactional((h, r) -> runs.incrementAndGet());
    int before = runs.get();
    byOrder.handle(new ConsumerRecord<>("orders", 0, 1L, "k", "order-17/paid"));
    byOrder.handle(new ConsumerRecord<>("orders", 0, 2L, "k", "order-17/paid"));
    assertThat(runs.get()).isEqualTo(before + 1);

    assertThatThrownBy(
            () -> byOrder.handle(new ConsumerRecord<>("orders", 0, 3L, "k", "x".repeat(300))))
        .isInstanceOf(UnidentifiableRecordException.class)
        .hasMessageContaining("orders-0@3")
        .hasMessageContaining("300 characters");
    assertThatThrownBy(() -> byOrder.handle(new ConsumerRecord<>("orders", 0, 4L, "k", "")))
        .isInstanceOf(UnidentifiableRecordException.class)
        .hasMessageContaining("orders-0@4")
        .hasMessageContaining("the business-key extractor found no key");
  }

  @Test
  void explicitFallbacksProcessRecordsWithoutAnyKey() throws Exception {
    IdempotencyStore byOffset =
        IdempotencyStore.create(
            IdempotencyConfig.builder()
                .group("bad-offset")
                .missingKey(MissingKeyPolicy.OFFSET)
                .build(),
            jdbi);
    IdempotencyStore untracked =
        IdempotencyStore.create(
            IdempotencyConfig.builder()
                .group("bad-untracked")
                .missingKey(MissingKeyPolicy.NO_DEDUP)
                .build(),
            jdbi);
    int before = runs.get();
    var record = new ConsumerRecord<>("orders", 2, 9L, "k", "v");
    handler(byOffset).handle(record);
    handler(byOffset).handle(record);
    assertThat(runs.get()).isEqualTo(before + 1);
    handler(untracked).handle(record);
    handler(untracked).handle(record);
    assertThat(runs.get()).isEqualTo(before + 3);
  }

  @Test
  void aTablePrefixWithSqlInItIsAConfigError() {
    Properties props = new Properties();
    props.setProperty("backstop.idempotency.group", "bad");
    props.setProperty("backstop.idempotency.table-prefix", "x; DROP TABLE users; --");
    assertThatThrownBy(() -> IdempotencyConfig.from(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("backstop.idempotency.table-prefix")
        .hasMessageContaining("x; DROP TABLE users; --")
        .hasMessageContaining("SQL identifier");
    assertThatThrownBy(() -> IdempotencyConfig.builder().group("bad").tablePrefix("a\"b").build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("a\"b");
  }

  @Test
  void aMissingTableIsReportedWithWhatToDo() {
    IdempotencyConfig config =
        IdempotencyConfig.builder().group("bad").tablePrefix("absent_").build();
    assertThatThrownBy(() -> IdempotencyStore.create(config, jdbi))
        .isInstanceOf(IdempotencyException.class)
        .hasMessageContaining("absent_processed_messages")
        .hasMessageContaining("backstop.idempotency.auto-create-schema=true");
  }

  @Test
  void aTableWithoutPrimaryKeyIsRefused() {
    jdbi.useHandle(
        h ->
            h.execute(
                "CREATE TABLE nokey_processed_messages (consumer_group VARCHAR(200),"
                    + " message_id VARCHAR(200), claimed_at TIMESTAMPTZ, lease_until TIMESTAMPTZ,"
                    + " lease_token VARCHAR(36))"));
    IdempotencyConfig config =
        IdempotencyConfig.builder().group("bad").tablePrefix("nokey_").build();
    assertThatThrownBy(() -> IdempotencyStore.create(config, jdbi))
        .isInstanceOf(IdempotencyException.class)
        .hasMessageContaining("no primary key");
  }

  @Test
  void aMalformedKeyPassedToTheStoreIsRejectedBeforeAnyStatement() {
    assertThatThrownBy(() -> jdbi.useTransaction(h -> store.claim(h, "bad", " ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(
            () ->
                jdbi.useTransaction(
                    h ->
                        store.claimAll(
                            h,
                            "bad",
                            java.util.Arrays.asList(MessageId.generate().toString(), null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("position 1");
  }
}
