package dev.backstop.doctests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries, checked over the main classes of every module (this module has them all on
 * its class path): no module reaches into another's {@code internal} package, the library modules
 * never depend on the test kit, core depends on no module, and the four library modules depend on
 * core only, never on each other. The Spring Boot starter and the samples may use every library
 * module's public API.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.backstop");

  private static final String[] MODULES = {
    "core", "outbox", "idempotency", "retry", "dlq", "spring", "samples", "testkit"
  };
  private static final String[] LIBRARIES = {"outbox", "idempotency", "retry", "dlq"};

  private static String pkg(String module) {
    return "dev.backstop." + module + "..";
  }

  @Test
  void everyModulesMainClassesAreChecked() {
    for (String module : MODULES) {
      org.assertj.core.api.Assertions.assertThat(MAIN.containPackage("dev.backstop." + module))
          .as("classes of %s are on the class path", module)
          .isTrue();
    }
    org.assertj.core.api.Assertions.assertThat(MAIN.containPackage("dev.backstop.doctests"))
        .as("test classes are left out")
        .isFalse();
  }

  @Test
  void everyMainPackageSaysWhatItIsInAPackageInfo() throws IOException {
    List<String> missing;
    try (Stream<Path> files = Files.walk(Markdown.root())) {
      missing =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> f.toString().contains("/src/main/java/"))
              .filter(f -> !f.toString().contains("/target/"))
              .map(Path::getParent)
              .distinct()
              .filter(dir -> !Files.exists(dir.resolve("package-info.java")))
              .map(dir -> Markdown.root().relativize(dir).toString())
              .sorted()
              .toList();
    }
    org.assertj.core.api.Assertions.assertThat(missing)
        .as("main packages without a package-info.java")
        .isEmpty();
  }

  @Test
  void noModuleUsesAnotherModulesInternals() {
    internals().check(MAIN);
  }

  @Test
  void libraryCodeNeverDependsOnTheTestKit() {
    LIBRARY_CODE_NEVER_DEPENDS_ON_THE_TEST_KIT.check(MAIN);
  }

  @Test
  void coreDependsOnNoModule() {
    CORE_DEPENDS_ON_NO_MODULE.check(MAIN);
  }

  @Test
  void librariesDependOnCoreOnly() {
    libraries().check(MAIN);
  }

  private static ArchRule internals() {
    CompositeArchRule rule = null;
    for (String module : MODULES) {
      ArchRule one =
          noClasses()
              .that()
              .resideOutsideOfPackage(pkg(module))
              .should()
              .dependOnClassesThat()
              .resideInAPackage("dev.backstop." + module + ".internal..")
              .as("no module uses the internals of " + module);
      rule = rule == null ? CompositeArchRule.of(one) : rule.and(one);
    }
    return rule;
  }

  private static final ArchRule LIBRARY_CODE_NEVER_DEPENDS_ON_THE_TEST_KIT =
      noClasses()
          .that()
          .resideInAnyPackage(
              pkg("core"),
              pkg("outbox"),
              pkg("idempotency"),
              pkg("retry"),
              pkg("dlq"),
              pkg("spring"))
          .should()
          .dependOnClassesThat()
          .resideInAPackage(pkg("testkit"));

  private static final ArchRule CORE_DEPENDS_ON_NO_MODULE =
      noClasses()
          .that()
          .resideInAPackage(pkg("core"))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              pkg("outbox"),
              pkg("idempotency"),
              pkg("retry"),
              pkg("dlq"),
              pkg("spring"),
              pkg("samples"),
              pkg("testkit"));

  private static ArchRule libraries() {
    CompositeArchRule rule = null;
    for (String library : LIBRARIES) {
      java.util.List<String> others = new java.util.ArrayList<>();
      for (String other : LIBRARIES) {
        if (!other.equals(library)) {
          others.add(pkg(other));
        }
      }
      others.add(pkg("spring"));
      others.add(pkg("samples"));
      ArchRule one =
          noClasses()
              .that()
              .resideInAPackage(pkg(library))
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(others.toArray(String[]::new))
              .as(library + " depends on core only");
      rule = rule == null ? CompositeArchRule.of(one) : rule.and(one);
    }
    return rule;
  }
}
