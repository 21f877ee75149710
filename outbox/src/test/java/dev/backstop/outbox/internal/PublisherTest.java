package dev.backstop.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The publisher's decisions against Kafka's {@link MockProducer} (pure logic: what is committed,
 * parked or kept). The real transactional behaviour is covered by the integration tests.
 */
class PublisherTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** Every producer the publisher built, the last one current. */
  private final List<MockProducer<byte[], byte[]>> built = new ArrayList<>();

  private boolean autoComplete = true;
  private RuntimeException nextInitError;

  private final RelayProducer relayProducer =
      new RelayProducer(
          java.util.Map.of("client.id", "test"),
          id -> "tx-" + id,
          settings -> {
            MockProducer<byte[], byte[]> producer =
                new MockProducer<>(
                    autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
            producer.initTransactionException = nextInitError;
            nextInitError = null;
            built.add(producer);
            return producer;
          });
  private final Publisher publisher =
      new Publisher(relayProducer, new SizeGuard(null, 1000, false, Clock.systemUTC()));

  @Test
  void parksATooLargeRowWithTheLaterRowsOfItsKeyBeforeSendingThem() {
    List<Row> batch =
        List.of(row(1, "blue", 10), row(2, "blue", 5000), row(3, "green", 10), row(4, "blue", 10));
    BatchOutcome outcome = publisher.publish(batch, Set.of(), TIMEOUT);
    assertThat(outcome.acked()).extracting(Row::seq).containsExactly(1L, 3L);
    assertThat(outcome.parked()).extracting(p -> p.row().seq()).containsExactly(2L, 4L);
    assertThat(outcome.parked().get(0).reason()).contains("max.request.size 1000");
    assertThat(outcome.parked().get(1).follower()).isFalse();
    assertThat(current().history()).hasSize(2);
    assertThat(current().transactionCommitted()).isTrue();
  }

  @Test
  void rowsOfAKeyParkedEarlierAreParkedAsFollowers() {
    Set<Publisher.LaneKey> parked =
        Set.of(new Publisher.LaneKey(0, ByteBuffer.wrap("blue".getBytes(StandardCharsets.UTF_8))));
    BatchOutcome outcome =
        publisher.publish(List.of(row(7, "blue", 1), row(8, "red", 1)), parked, TIMEOUT);
    assertThat(outcome.parked()).singleElement().satisfies(p -> assertThat(p.follower()).isTrue());
    assertThat(outcome.acked()).extracting(Row::seq).containsExactly(8L);
  }

  @Test
  void aRecordTheBrokerRejectsAbortsTheTransactionParksItsKeyAndKeepsTheRest() {
    autoComplete = false;
    List<Row> batch = List.of(row(1, "blue", 10), row(2, "green", 10), row(3, "blue", 10));
    Publisher.InFlight inFlight = publisher.send(batch, Set.of());
    MockProducer<byte[], byte[]> producer = current();
    producer.errorNext(new RecordTooLargeException("too large for the topic"));
    BatchOutcome outcome = publisher.await(inFlight, TIMEOUT);
    // nothing counts as published; the later row of the key is parked with it, the other kept
    assertThat(outcome.acked()).isEmpty();
    assertThat(outcome.parked()).extracting(p -> p.row().seq()).containsExactly(1L, 3L);
    assertThat(outcome.kept()).isEqualTo(1);
    assertThat(outcome.retriable()).isNull();
    assertThat(producer.transactionAborted()).isTrue();
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void acknowledgedRowsOfAnAbortedTransactionAreKeptNotDeleted() {
    autoComplete = false;
    List<Row> batch = List.of(row(1, "blue", 10), row(2, "green", 10), row(3, "blue", 10));
    Publisher.InFlight inFlight = publisher.send(batch, Set.of());
    MockProducer<byte[], byte[]> producer = current();
    producer.completeNext();
    producer.errorNext(new RecordTooLargeException("too large"));
    producer.completeNext();
    BatchOutcome outcome = publisher.await(inFlight, TIMEOUT);
    assertThat(outcome.acked()).as("acked but aborted").isEmpty();
    assertThat(outcome.parked()).extracting(p -> p.row().seq()).containsExactly(2L);
    assertThat(outcome.kept()).isEqualTo(2);
    assertThat(outcome.retriable()).isNull();
    assertThat(producer.transactionAborted()).isTrue();
  }

  @Test
  void aBatchNotAcknowledgedByTheDeadlineIsAbandonedAndKept() {
    autoComplete = false;
    Publisher.InFlight inFlight =
        publisher.send(List.of(row(1, "blue", 10), row(2, "blue", 10)), Set.of());
    MockProducer<byte[], byte[]> producer = current();
    producer.completeNext();
    BatchOutcome outcome = publisher.await(inFlight, Duration.ofMillis(50));
    assertThat(outcome.acked()).isEmpty();
    assertThat(outcome.kept()).isEqualTo(2);
    assertThat(outcome.retriable())
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("acknowledged 1 of 2");
    assertThat(producer.closed()).as("closed at once, not awaited").isTrue();
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void aRetriableRecordErrorKeepsEveryRowAndRebuildsTheProducer() {
    autoComplete = false;
    Publisher.InFlight inFlight =
        publisher.send(List.of(row(1, "blue", 10), row(2, "green", 10)), Set.of());
    MockProducer<byte[], byte[]> first = current();
    first.completeNext();
    first.errorNext(new TimeoutException("expired"));
    BatchOutcome outcome = publisher.await(inFlight, TIMEOUT);
    assertThat(outcome.acked()).isEmpty();
    assertThat(outcome.kept()).isEqualTo(2);
    assertThat(outcome.retriable()).isInstanceOf(TimeoutException.class);
    assertThat(first.closed()).isTrue();

    autoComplete = true;
    BatchOutcome again =
        publisher.publish(List.of(row(1, "blue", 10), row(2, "green", 10)), Set.of(), TIMEOUT);
    assertThat(again.acked()).hasSize(2);
    assertThat(built).hasSize(2);
  }

  @Test
  void aSynchronousProducerFailureStopsTheBatchAndParksNothing() {
    MockProducer<byte[], byte[]> producer = null;
    Publisher.InFlight warmUp = publisher.send(List.of(row(0, "blue", 10)), Set.of());
    publisher.await(warmUp, TIMEOUT);
    producer = current();
    // what a failed producer throws for every later send: a wrapper naming an earlier error
    producer.sendException =
        new KafkaException(
            "Cannot perform send because at least one previous transactional or"
                + " idempotent request has failed with errors.",
            new RecordTooLargeException("an earlier record"));
    BatchOutcome outcome =
        publisher.publish(
            List.of(row(1, "blue", 10), row(2, "blue", 10), row(3, "green", 10)),
            Set.of(),
            TIMEOUT);
    assertThat(outcome.parked()).as("a producer failure is no record's fault").isEmpty();
    assertThat(outcome.acked()).isEmpty();
    assertThat(outcome.kept()).as("the batch stopped at the failure").isEqualTo(1);
    assertThat(outcome.retriable()).isInstanceOf(KafkaException.class);
    assertThat(producer.closed()).isTrue();
  }

  @Test
  void aFencedProducerIsReplacedAndTheRowsArePublishedByTheNewOne() {
    publisher.publish(List.of(row(1, "blue", 10)), Set.of(), TIMEOUT);
    MockProducer<byte[], byte[]> fenced = current();
    fenced.fenceProducer();
    List<Row> batch = List.of(row(2, "blue", 10));
    assertThatThrownBy(() -> publisher.send(batch, Set.of()))
        .isInstanceOf(org.apache.kafka.common.errors.ProducerFencedException.class);
    assertThat(fenced.closed()).isTrue();
    BatchOutcome outcome = publisher.publish(batch, Set.of(), TIMEOUT);
    assertThat(outcome.acked()).hasSize(1);
    assertThat(built).hasSize(2);
    assertThat(current().history()).hasSize(1);
  }

  @Test
  void aProducerThatCannotInitializeParksNothingAndIsBuiltAgainOnceAllowed() {
    nextInitError = new ClusterAuthorizationException("no IdempotentWrite on the cluster");
    List<Row> batch = List.of(row(1, "blue", 10), row(2, "green", 10));
    assertThatThrownBy(() -> publisher.send(batch, Set.of()))
        .isInstanceOf(ClusterAuthorizationException.class);
    // the access is granted: the next round builds a new producer and publishes everything
    BatchOutcome outcome = publisher.publish(batch, Set.of(), TIMEOUT);
    assertThat(outcome.acked()).hasSize(2);
    assertThat(outcome.parked()).isEmpty();
    assertThat(built).hasSize(2);
    assertThat(built.get(0).closed()).isTrue();
  }

  @Test
  void classifiesRecordErrorsApartFromProducerErrors() {
    assertThat(Publisher.permanent(new RecordTooLargeException("x"))).isTrue();
    assertThat(Publisher.permanent(new TopicAuthorizationException("x"))).isTrue();
    assertThat(Publisher.permanent(new TimeoutException("x"))).isFalse();
    assertThat(Publisher.permanent(new ClusterAuthorizationException("x"))).isFalse();
    assertThat(Publisher.permanent(new TransactionalIdAuthorizationException("x"))).isFalse();
    assertThat(Publisher.permanent(new KafkaException("failed", new RecordTooLargeException("x"))))
        .isFalse();
  }

  private MockProducer<byte[], byte[]> current() {
    return built.get(built.size() - 1);
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
