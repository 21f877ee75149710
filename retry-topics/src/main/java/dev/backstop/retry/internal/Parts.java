package dev.backstop.retry.internal;

import dev.backstop.core.ErrorClassifier;
import dev.backstop.core.RecordHandler;
import dev.backstop.core.Sleeper;
import dev.backstop.retry.ConsumerMetrics;
import dev.backstop.retry.ErrorRule;
import dev.backstop.retry.RetryConfig;
import dev.backstop.retry.RetryListener;
import java.time.Clock;
import org.apache.kafka.common.serialization.Deserializer;

/** What a {@link RecordProcessor} is made of. Immutable. */
record Parts<K, V>(
    RetryConfig config,
    Deserializer<K> keyDeserializer,
    Deserializer<V> valueDeserializer,
    RecordHandler<K, V> handler,
    ErrorClassifier<ErrorRule> classifier,
    RetryPlan plan,
    TopicNames names,
    CircuitGate circuit,
    RetryListener listener,
    ConsumerMetrics metrics,
    ConsumerTracing tracing,
    Clock clock,
    Sleeper sleeper) {}
