package dev.backstop.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension behind {@link BackstopKafka}: one {@link KafkaBroker} per test class, closed
 * when the class is done. Thread-safe (JUnit's store does the bookkeeping).
 */
public final class KafkaExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    int brokers = brokers(testClass);
    return classContext(context)
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(testClass, c -> KafkaBroker.start(brokers), KafkaBroker.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  private static int brokers(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      BackstopKafka annotation = c.getAnnotation(BackstopKafka.class);
      if (annotation != null) {
        return annotation.brokers();
      }
    }
    return 1;
  }
}
