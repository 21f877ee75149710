package dev.backstop.dlq;

import static dev.backstop.dlq.Records.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backstop.core.ErrorFingerprint;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.KafkaBroker;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.ConnectMetrics;
import org.apache.kafka.connect.runtime.SinkConnectorConfig;
import org.apache.kafka.connect.runtime.errors.DeadLetterQueueReporter;
import org.apache.kafka.connect.runtime.errors.ErrorHandlingMetrics;
import org.apache.kafka.connect.runtime.errors.ProcessingContext;
import org.apache.kafka.connect.runtime.errors.RetryWithToleranceOperator;
import org.apache.kafka.connect.runtime.errors.Stage;
import org.apache.kafka.connect.runtime.errors.ToleranceType;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.util.ConnectorTaskId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Dead letters written by the real code of other tools: a Spring Kafka listener container whose
 * listener throws, recovered by {@code DeadLetterPublishingRecoverer}, and a Kafka Connect sink
 * task's converter failure reported by Connect's {@code DeadLetterQueueReporter} through its {@code
 * RetryWithToleranceOperator}, as a worker drives them. They are grouped and filtered by their root
 * cause, with a fingerprint computed from their stack traces.
 */
@BackstopKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForeignDeadLettersIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String DLQ = "foreign.dlq";

  private final KafkaBroker broker;
  private final AtomicReference<Exception> thrownBySpringListener = new AtomicReference<>();
  private String connectFingerprint;

  ForeignDeadLettersIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @BeforeAll
  void writeDeadLetters() throws Exception {
    broker.createTopic(DLQ, 1);
    broker.createTopic("spring.orders", 1);
    broker.createTopic("connect.orders", 1);
    try (Fixtures fixtures = new Fixtures(broker)) {
      fixtures.send("spring.orders", 0, null, "order-2001", utf8("{\"order\":2001}"), null);
      fixtures.send("connect.orders", 0, null, "order-3001", utf8("{not json"), null);
    }
    springListenerFails();
    connectConverterFails();
  }

  /** A listener container with the recoverer Spring's docs show, no retries. */
  private void springListenerFails() {
    Map<String, Object> consumer = new HashMap<>(broker.consumerConfig("spring-group"));
    Map<String, Object> producer = new HashMap<>(broker.producerConfig());
    KafkaTemplate<byte[], byte[]> template =
        new KafkaTemplate<>(
            new DefaultKafkaProducerFactory<>(
                producer, new ByteArraySerializer(), new ByteArraySerializer()));
    DeadLetterPublishingRecoverer recoverer =
        new DeadLetterPublishingRecoverer(
            template, (record, error) -> new TopicPartition(DLQ, record.partition()));
    ContainerProperties properties = new ContainerProperties("spring.orders");
    properties.setGroupId("spring-group");
    properties.setMessageListener(
        (MessageListener<byte[], byte[]>)
            record -> {
              IllegalStateException error =
                  new IllegalStateException(
                      "stock unavailable for order 2001",
                      new SocketTimeoutException("inventory-service did not answer within 2s"));
              thrownBySpringListener.set(error);
              throw error;
            });
    KafkaMessageListenerContainer<byte[], byte[]> container =
        new KafkaMessageListenerContainer<>(
            new DefaultKafkaConsumerFactory<>(
                consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
            properties);
    container.setCommonErrorHandler(new DefaultErrorHandler(recoverer, new FixedBackOff(0L, 0L)));
    container.start();
    try {
      await().atMost(DEADLINE).until(() -> dlqSize() >= 1);
    } finally {
      container.stop();
      template.destroy();
    }
  }

  /**
   * A sink task's value converter fails on a record read from Kafka; the worker's error handling
   * (tolerance all, dead-letter queue with context headers) reports it.
   */
  private void connectConverterFails() throws Exception {
    Map<String, String> worker = new HashMap<>();
    worker.put("bootstrap.servers", broker.bootstrapServers());
    worker.put("key.converter", JsonConverter.class.getName());
    worker.put("value.converter", JsonConverter.class.getName());
    worker.put("offset.storage.file.filename", "/dev/null");
    Map<String, String> connector = new HashMap<>();
    connector.put("name", "jdbc-sink");
    connector.put("connector.class", "io.example.JdbcSinkConnector");
    connector.put("topics", "connect.orders");
    connector.put("errors.tolerance", "all");
    connector.put("errors.deadletterqueue.topic.name", DLQ);
    connector.put("errors.deadletterqueue.topic.replication.factor", "1");
    connector.put("errors.deadletterqueue.context.headers.enable", "true");
    ConnectorTaskId task = new ConnectorTaskId("jdbc-sink", 0);
    Map<String, Object> clients = Map.of("bootstrap.servers", broker.bootstrapServers());
    Map<String, Object> producer = new HashMap<>(clients);
    producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

    ConnectMetrics metrics =
        new ConnectMetrics("worker-1", new StandaloneConfig(worker), Time.SYSTEM, "cluster");
    ErrorHandlingMetrics errorMetrics = new ErrorHandlingMetrics(task, metrics);
    JsonConverter converter = new JsonConverter();
    converter.configure(Map.of("schemas.enable", "false"), false);
    ConsumerRecord<byte[], byte[]> record = readOne("connect.orders");
    try {
      converter.toConnectData(record.topic(), record.headers(), record.value());
    } catch (DataException expected) {
      connectFingerprint = ErrorFingerprint.of(expected);
    }
    try (RetryWithToleranceOperator<ConsumerRecord<byte[], byte[]>> operator =
        new RetryWithToleranceOperator<>(0, 0, ToleranceType.ALL, Time.SYSTEM, errorMetrics)) {
      operator.reporters(
          List.of(
              DeadLetterQueueReporter.createAndSetup(
                  clients,
                  task,
                  new SinkConnectorConfig(null, connector),
                  producer,
                  errorMetrics)));
      ProcessingContext<ConsumerRecord<byte[], byte[]>> context = new ProcessingContext<>(record);
      operator.execute(
          context,
          () -> converter.toConnectData(record.topic(), record.headers(), record.value()),
          Stage.VALUE_CONVERTER,
          JsonConverter.class);
      assertThat(context.failed()).isTrue();
    }
    await().atMost(DEADLINE).until(() -> dlqSize() >= 2);
    metrics.stop();
  }

  private ConsumerRecord<byte[], byte[]> readOne(String topic) {
    Map<String, Object> config = new HashMap<>(broker.consumerConfig("connect-jdbc-sink"));
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          return r;
        }
      }
    }
    throw new AssertionError("no record in " + topic + " within " + DEADLINE);
  }

  private long dlqSize() {
    try (Fixtures fixtures = new Fixtures(broker)) {
      return fixtures.endOffsets(DLQ);
    }
  }

  private Cli.Result run(String... args) {
    Cli.Result result = Cli.run(Cli.args(List.of(args), "-b", broker.bootstrapServers()));
    assertThat(result.exit()).as(result.err()).isZero();
    return result;
  }

  @Test
  void statsGroupsByTheRootCauseAndShowsTheWrapperInTheSample() {
    Cli.Result stats = run("dlq", "stats", DLQ);

    assertThat(stats.out())
        .contains("java.net.SocketTimeoutException")
        .contains("com.fasterxml.jackson.core.JsonParseException")
        .contains("org.springframework.kafka.listener.ListenerExecutionFailedException: ")
        .contains("org.apache.kafka.connect.errors.DataException: ");
    assertThat(stats.outLines())
        .noneMatch(l -> l.matches("\\d+\\s+org\\.springframework.*"))
        .noneMatch(l -> l.matches("\\d+\\s+org\\.apache\\.kafka\\.connect.*"));
    assertThat(stats.err()).contains("2 dead letters in 2 groups by error");
  }

  @Test
  void errorClassFiltersByTheRootCauseOrTheWrapper() {
    assertThat(run("dlq", "list", DLQ, "--error-class", "SocketTimeoutException").outLines())
        .hasSize(2)
        .last()
        .asString()
        .contains("SocketTimeoutException in ListenerExecu"); // cut to the column
    assertThat(run("dlq", "list", DLQ, "--error-class", "JsonParseException").outLines())
        .hasSize(2)
        .last()
        .asString()
        .contains("JsonParseException in DataException");
    assertThat(run("dlq", "list", DLQ, "--error-class", "ListenerExecutionFailedException").err())
        .contains("1 dead letter in");
  }

  @Test
  void fingerprintsAreComputedFromTheRecordedStackTraces() {
    String spring = ErrorFingerprint.of(thrownBySpringListener.get());

    Cli.Result stats = run("dlq", "stats", DLQ, "--by", "fingerprint");

    assertThat(stats.out()).contains(spring).contains(connectFingerprint).doesNotContain("(none)");
    assertThat(run("dlq", "list", DLQ, "--fingerprint", spring).err()).contains("1 dead letter in");
  }

  @Test
  void showNamesTheWrapperAndTheRootCause() {
    Cli.Result show = run("dlq", "show", DLQ + "/0/0");

    assertThat(show.out())
        .contains("source          spring_kafka")
        .contains(
            "error class     org.springframework.kafka.listener.ListenerExecutionFailedException")
        .contains("root cause      java.net.SocketTimeoutException")
        .contains("original        spring.orders/0/0");
    Cli.Result connect = run("dlq", "show", DLQ + "/0/1");
    assertThat(connect.out())
        .contains("source          kafka_connect")
        .contains("error class     org.apache.kafka.connect.errors.DataException")
        .contains("root cause      com.fasterxml.jackson.core.JsonParseException")
        .contains("original        connect.orders/0/0");
  }
}
