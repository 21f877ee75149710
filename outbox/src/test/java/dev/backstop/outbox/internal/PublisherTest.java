package dev.backstop.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class PublisherTest {

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final Publisher publisher =
      new Publisher(producer, new SizeGuard(null, 1000, false, Clock.systemUTC()));

  @Test
  void parksATooLargeRowWithTheLaterRowsOfItsKeyBeforeSendingThem() {
    List<Row> batch =
        List.of(row(1, "blue", 10), row(2, "blue", 5000), row(3, "green", 10), row(4, "blue", 10));
    Outcome outcome = publisher.publish(batch, Set.of());
    assertThat(outcome.acked()).extracting(Row::seq).containsExactly(1L, 3L);
    assertThat(outcome.parked()).extracting(p -> p.row().seq()).containsExactly(2L, 4L);
    assertThat(outcome.parked().get(0).reason()).contains("max.request.size 1000");
    assertThat(outcome.parked().get(1).follower()).isFalse();
    assertThat(producer.history()).hasSize(2);
  }

  @Test
  void rowsOfAKeyParkedEarlierAreParkedAsFollowers() {
    Set<Publisher.LaneKey> parked =
        Set.of(new Publisher.LaneKey(0, ByteBuffer.wrap("blue".getBytes(StandardCharsets.UTF_8))));
    Outcome outcome = publisher.publish(List.of(row(7, "blue", 1), row(8, "red", 1)), parked);
    assertThat(outcome.parked()).singleElement().satisfies(p -> assertThat(p.follower()).isTrue());
    assertThat(outcome.acked()).extracting(Row::seq).containsExactly(8L);
  }

  @Test
  void classifiesPermanentAndRetriableKafkaErrors() {
    assertThat(Publisher.ERRORS.classify(new RecordTooLargeException("x")).action())
        .isEqualTo(Publisher.Action.PARK);
    assertThat(Publisher.ERRORS.classify(new TopicAuthorizationException("x")).action())
        .isEqualTo(Publisher.Action.PARK);
    assertThat(Publisher.ERRORS.classify(new TimeoutException("x")).action())
        .isEqualTo(Publisher.Action.RETRY);
  }

  private static Row row(long seq, String key, int size) {
    return new Row(
        0,
        seq,
        UUID.randomUUID(),
        "orders",
        key.getBytes(StandardCharsets.UTF_8),
        new byte[size],
        HeaderCodec.encode(List.of()),
        Instant.now());
  }
}
