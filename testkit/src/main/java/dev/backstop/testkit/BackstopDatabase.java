package dev.backstop.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated test class its own fresh schema on a real database server, dropped after its
 * last test. Declare a {@link TestDatabase} parameter to receive it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DatabaseExtension.class)
public @interface BackstopDatabase {
  /** The database product. */
  TestDatabase.Kind kind() default TestDatabase.Kind.POSTGRESQL;
}
