package dev.backstop.doctests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.doctests.Markdown.Block;
import dev.backstop.retry.ReliableConsumerConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkers of the doc tests find what they are there to find. */
class DocCheckersTest {
  @TempDir Path temp;

  @Test
  void anInlineCommentInAPropertiesBlockIsAProblem() throws Exception {
    List<String> problems =
        PropertiesBlocksTest.problems(
            "backstop.consumer.group-id=payments\n"
                + "backstop.consumer.topics=orders\n"
                + "backstop.retry.create-topics=true   # development only\n");

    assertThat(problems)
        .anySatisfy(p -> assertThat(p).startsWith("Line 3 has an inline comment"))
        .anySatisfy(p -> assertThat(p).contains("Invalid value true   # development only"));
  }

  @Test
  void unknownKeysOfEitherKindAreProblems() throws Exception {
    List<String> problems =
        PropertiesBlocksTest.problems(
            "backstop.consumer.group-id=payments\n"
                + "backstop.retry.tier=1s\n"
                + "backstop.nothing.here=1\n"
                + "kafka.bootstrap.server=localhost:9092\n");

    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("Unknown key backstop.retry.tier: did you mean"))
        .anySatisfy(p -> assertThat(p).contains("Unknown key backstop.nothing.here"))
        .anySatisfy(p -> assertThat(p).contains("Unknown key kafka.bootstrap.server"));
  }

  @Test
  void aValidBlockHasNoProblemsEvenWithSecretsFromTheEnvironment() throws Exception {
    assertThat(
            PropertiesBlocksTest.problems(
                "kafka.bootstrap.servers=${KAFKA_BOOTSTRAP:localhost:9092}\n"
                    + "kafka.ssl.truststore.password=${TRUSTSTORE_PASSWORD}\n"
                    + "backstop.dlq.read.timeout=20s\n"
                    + "backstop.retry.tiers=1s,30s\n"))
        .isEmpty();
  }

  @Test
  void aJavaBlockThatDoesNotCompileIsReportedAtItsMarkdownLine() throws Exception {
    JavaBlocksTest javaBlocks = new JavaBlocksTest();
    javaBlocks.out = temp;
    Block block =
        new Block(
            "README.md",
            40,
            "java",
            "import java.time.Duration;\nDuration d = Duration.ofSeconds(1);\nd.nosuch();\n",
            null,
            null);

    assertThat(javaBlocks.compileErrors(block))
        .anySatisfy(e -> assertThat(e).contains("markdown line 43: cannot find symbol"));
  }

  @Test
  void markersBeforeABlockAreRead() {
    List<Block> blocks =
        Markdown.blocks(
            "docs/x.md",
            List.of(
                "text",
                "<!-- not-checked: a fragment for the shell -->",
                "",
                "```properties",
                "a=b",
                "```",
                "<!-- same-as: samples/A.java -->",
                "```java",
                "int x = 1;",
                "```"));

    assertThat(blocks.get(0).notChecked()).isTrue();
    assertThat(blocks.get(0).arg()).isEqualTo("a fragment for the shell");
    assertThat(blocks.get(0).line()).isEqualTo(4);
    assertThat(blocks.get(1).sameAs()).isTrue();
    assertThat(blocks.get(1).arg()).isEqualTo("samples/A.java");
  }

  @Test
  void aWrongDefaultInATableIsAProblem() {
    assertThat(ConfigTablesTest.defaultProblem(ReliableConsumerConfig.JITTER, "`0.2`"))
        .isEqualTo("defaults to `0.1`, but the table says `0.2`");
    assertThat(ConfigTablesTest.defaultProblem(ReliableConsumerConfig.MAX_AGE, "`24h`")).isNull();
    assertThat(ConfigTablesTest.defaultProblem(ReliableConsumerConfig.GROUP_ID, "`payments`"))
        .startsWith("is required");
  }
}
