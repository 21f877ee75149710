package dev.backstop.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated test class one in-JVM Kafka cluster, started before its first test and
 * stopped after its last. Declare a {@link KafkaBroker} parameter (constructor, {@code @BeforeAll},
 * {@code @BeforeEach} or test method) to receive it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KafkaExtension.class)
public @interface BackstopKafka {
  /** Number of brokers: 1 (one combined node) or more (one controller plus this many brokers). */
  int brokers() default 1;
}
