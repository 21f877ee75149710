package dev.backstop.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension behind {@link BackstopDatabase}: one fresh {@link TestDatabase} per test class,
 * dropped when the class is done. The kind comes from the annotation, so an abstract contract test
 * can be subclassed once per database.
 */
public final class DatabaseExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DatabaseExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    TestDatabase.Kind kind = kind(testClass);
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            testClass,
            c -> TestDatabase.create(kind, testClass.getSimpleName()),
            TestDatabase.class);
  }

  private static TestDatabase.Kind kind(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getSuperclass()) {
      BackstopDatabase annotation = c.getAnnotation(BackstopDatabase.class);
      if (annotation != null) {
        return annotation.kind();
      }
    }
    return TestDatabase.Kind.POSTGRESQL;
  }
}
