package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageIdTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123Z");

  @Test
  void generatesVersion7WithRfcVariantAndClockTimestamp() {
    MessageId id = MessageId.generate(Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(id.uuid().version()).isEqualTo(7);
    assertThat(id.uuid().variant()).isEqualTo(2);
    assertThat(id.toString().charAt(14)).isEqualTo('7');
    assertThat(id.timestamp()).isEqualTo(NOW);
  }

  @Test
  void idsInTheSameMillisecondAreStrictlyIncreasingAndUnique() {
    Clock frozen = Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC);
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      ids.add(MessageId.generate(frozen));
    }

    for (int i = 1; i < ids.size(); i++) {
      assertThat(ids.get(i)).isGreaterThan(ids.get(i - 1));
      assertThat(ids.get(i).toString()).isGreaterThan(ids.get(i - 1).toString());
    }
    assertThat(new HashSet<>(ids)).hasSize(ids.size());
    assertThat(ids.get(0).timestamp()).isEqualTo(NOW.plusSeconds(60));
    assertThat(ids.get(ids.size() - 1).timestamp())
        .as("counter overflow borrows at most a few milliseconds")
        .isBetween(NOW.plusSeconds(60), NOW.plusSeconds(60).plusMillis(20));
  }

  @Test
  void concurrentGeneratorsNeverRepeatAnIdAndEachThreadSeesIncreasingIds() throws Exception {
    int threads = 4;
    int perThread = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<MessageId>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> generateMany(perThread)));
      }
      Set<MessageId> all = new HashSet<>();
      for (Future<List<MessageId>> result : results) {
        List<MessageId> ids = result.get(30, TimeUnit.SECONDS);
        assertThat(ids).isSorted();
        all.addAll(ids);
      }
      assertThat(all).hasSize(threads * perThread);
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<MessageId> generateMany(int n) {
    List<MessageId> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(MessageId.generate());
    }
    return ids;
  }

  @Test
  void clockGoingBackwardsStampsTheEarlierTime() {
    MessageId.generate(Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC));
    MessageId earlier = MessageId.generate(Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(earlier.timestamp()).isEqualTo(NOW);
  }

  @Test
  void systemClockIdsCarryTheCurrentTime() {
    Instant before = Instant.now();
    MessageId id = MessageId.generate();

    assertThat(id.timestamp()).isBetween(before.minusMillis(1), Instant.now().plusMillis(1));
  }

  @Test
  void parsesItsOwnTextInAnyCase() {
    MessageId id = MessageId.generate();

    assertThat(MessageId.parse(id.toString())).isEqualTo(id);
    assertThat(MessageId.parse(id.toString().toUpperCase())).isEqualTo(id);
    assertThat(MessageId.parse(id.toString()).hashCode()).isEqualTo(id.hashCode());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not-a-uuid",
        "0190f5a2-3b4c-7d5e-8f60-718293a4b5c",
        "0190f5a2-3b4c-7d5e-8f60-718293a4b5c6x",
        "1-1-1-1-1",
        "0190f5a23b4c7d5e8f60718293a4b5c6"
      })
  void rejectsMalformedTextNamingIt(String text) {
    assertThatThrownBy(() -> MessageId.parse(text))
        .isInstanceOf(InvalidMessageIdException.class)
        .hasMessageStartingWith("Invalid message id '" + text + "'")
        .satisfies(e -> assertThat(((InvalidMessageIdException) e).value()).isEqualTo(text));
  }

  @Test
  void rejectsOtherUuidVersions() {
    String v4 = UUID.randomUUID().toString();

    assertThatThrownBy(() -> MessageId.parse(v4))
        .isInstanceOf(InvalidMessageIdException.class)
        .hasMessage(
            "Invalid message id '"
                + v4
                + "': must be a UUIDv7 (version 7, variant 2), was version 4, variant 2");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> MessageId.parse(null))
        .isInstanceOf(InvalidMessageIdException.class)
        .hasMessageContaining("'null'");
  }
}
