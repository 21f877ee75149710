package dev.backstop.doctests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.doctests.Markdown.Block;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md and docs/*.md compiles against the real modules (this
 * module's test class path), or is proven to be lifted from a tested file.
 *
 * <p>Most blocks are fragments: statements, or a method, or a class without its imports. Each is
 * compiled as the body of a class {@code Snippet} that extends the file's <em>context</em> class in
 * {@code dev.backstop.doctests.context} (README.md: {@code ReadmeContext}, docs/outbox.md: {@code
 * OutboxDocContext}, and so on). The context declares what the prose around the block takes for
 * granted: the service's {@code DataSource}, the polled {@code consumer}, the application's own
 * types such as {@code OrderPlaced}. The block's own {@code import} lines are kept and a fixed set
 * of imports ({@link #IMPORTS}) is added. A fragment is tried first as statements inside a method
 * {@code void snippet() throws Exception}, then as members of the class (a method, a nested test
 * class); it passes when either compiles, and fails with the compiler's errors of both, mapped to
 * lines of the markdown file.
 *
 * <p>A block marked {@code <!-- same-as: path -->} instead has to appear line by line, in order, in
 * that file (leading white space, end-of-line comments and blank lines ignored; the file may have
 * other lines between), which is compiled and tested in its own module. A block marked {@code <!--
 * not-checked: reason -->} is reported with its reason.
 */
class JavaBlocksTest {
  static final List<String> IMPORTS =
      List.of(
          "java.io.*",
          "java.nio.file.*",
          "java.sql.*",
          "java.time.*",
          "java.util.*",
          "javax.sql.DataSource",
          "org.apache.kafka.clients.consumer.*",
          "org.apache.kafka.clients.producer.*",
          "org.apache.kafka.common.header.*",
          "org.apache.kafka.common.serialization.*",
          "org.jdbi.v3.core.*",
          "com.fasterxml.jackson.databind.ObjectMapper",
          "io.micrometer.core.instrument.MeterRegistry",
          "org.junit.jupiter.api.Test",
          "dev.backstop.core.*",
          "dev.backstop.outbox.*",
          "dev.backstop.idempotency.*",
          "dev.backstop.retry.*",
          "dev.backstop.dlq.*",
          "dev.backstop.testkit.*",
          "dev.backstop.spring.*",
          "org.springframework.stereotype.*",
          "org.springframework.transaction.annotation.Transactional",
          "org.springframework.jdbc.core.JdbcTemplate",
          "dev.backstop.doctests.context.*");

  @TempDir Path out;

  @TestFactory
  Stream<DynamicTest> everyJavaBlockCompiles() {
    return Markdown.blocks("java").stream()
        .map(block -> DynamicTest.dynamicTest(block.where(), () -> check(block)));
  }

  @Test
  void theDocsHaveJavaBlocks() {
    assertThat(Markdown.blocks("java")).hasSizeGreaterThanOrEqualTo(20);
  }

  void check(Block block) throws IOException {
    if (block.notChecked()) {
      assertThat(block.arg()).as(block.where() + ": not-checked needs a reason").isNotBlank();
      System.out.println(block.where() + " not checked: " + block.arg());
      return;
    }
    if (block.sameAs()) {
      assertLiftedFrom(block);
      return;
    }
    List<String> errors = compileErrors(block);
    assertThat(errors)
        .as("java block at %s does not compile:%n%s", block.where(), block.text())
        .isEmpty();
  }

  /** Empty when the block compiles as statements or as members; else the errors of both. */
  List<String> compileErrors(Block block) throws IOException {
    List<String> imports = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    int importLines = 0;
    for (String line : block.text().split("\n", -1)) {
      if (line.startsWith("import ") && body.length() == 0) {
        imports.add(line.replaceAll("//.*", "").strip());
        importLines++;
      } else {
        body.append(line).append('\n');
      }
    }
    String context = contextClass(block.file());
    List<String> asStatements =
        compile(
            block, imports, importLines, context, "  void snippet() throws Exception {\n", "}\n");
    if (asStatements.isEmpty()) {
      return List.of();
    }
    List<String> asMembers = compile(block, imports, importLines, context, "", "");
    if (asMembers.isEmpty()) {
      return List.of();
    }
    List<String> all = new ArrayList<>();
    all.add("as statements in a method:");
    all.addAll(asStatements);
    all.add("as members of a class:");
    all.addAll(asMembers);
    return all;
  }

  private List<String> compile(
      Block block, List<String> imports, int importLines, String context, String open, String close)
      throws IOException {
    StringBuilder source = new StringBuilder("package dev.backstop.doctests.snippets;\n");
    IMPORTS.forEach(i -> source.append("import ").append(i).append(";\n"));
    imports.forEach(i -> source.append(i).append('\n'));
    source.append("@SuppressWarnings(\"all\")\n");
    source.append("abstract class Snippet extends ").append(context).append(" {\n").append(open);
    long before = source.chars().filter(c -> c == '\n').count();
    String body =
        block.text().lines().skip(importLines).collect(Collectors.joining("\n", "", "\n"));
    source.append(body).append(close).append("}\n");
    // markdown line of body line 1: fence line + 1 + import lines
    long offset = block.line() + importLines - before;
    return javac(source.toString(), offset);
  }

  private List<String> javac(String source, long offset) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path classes = Files.createTempDirectory(out, "classes");
    try (StandardJavaFileManager files =
        compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      JavaFileObject unit =
          new SimpleJavaFileObject(
              URI.create("string:///dev/backstop/doctests/snippets/Snippet.java"),
              JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
              return source;
            }
          };
      List<String> options =
          List.of(
              "-classpath",
              System.getProperty("java.class.path"),
              "-d",
              classes.toString(),
              "-proc:none",
              "-nowarn");
      compiler.getTask(null, files, diagnostics, options, null, List.of(unit)).call();
    }
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        long line = d.getLineNumber() + offset;
        errors.add("  markdown line " + line + ": " + d.getMessage(Locale.ROOT));
      }
    }
    return errors;
  }

  /** README.md: ReadmeContext; docs/outbox.md: OutboxDocContext; docs/dlq.md: DlqDocContext. */
  static String contextClass(String file) {
    String name = Path.of(file).getFileName().toString().replace(".md", "");
    if (name.equals("README")) {
      return "ReadmeContext";
    }
    StringBuilder camel = new StringBuilder();
    for (String part : name.split("-")) {
      camel.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return camel + "DocContext";
  }

  private static void assertLiftedFrom(Block block) throws IOException {
    Path file = Markdown.root().resolve(block.arg());
    assertThat(file).as(block.where() + ": same-as file").exists();
    List<String> source = code(Files.readAllLines(file).stream());
    List<String> lines = code(block.text().lines());
    assertThat(appearInOrder(source, lines))
        .as(
            "java block at %s is not lifted from %s: its lines do not appear there in order:%n%s",
            block.where(), block.arg(), block.text())
        .isTrue();
  }

  /** Lines without leading white space, end-of-line comments and blank lines. */
  static List<String> code(Stream<String> lines) {
    return lines
        .map(l -> l.replaceAll("(^|\\s)//.*$", "").strip())
        .filter(l -> !l.isEmpty())
        .toList();
  }

  /** True when {@code lines} appear in {@code source} in order (other lines may come between). */
  static boolean appearInOrder(List<String> source, List<String> lines) {
    int next = 0;
    for (String line : source) {
      if (next < lines.size() && line.equals(lines.get(next))) {
        next++;
      }
    }
    return next == lines.size();
  }
}
