package dev.backstop.dlq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code dlq/bin/backstop} with {@code /bin/sh} in a layout of fake jars and a fake {@code
 * java} that prints the jar it was given, so the test sees which jar the script picked.
 */
class LauncherScriptIT {
  @TempDir Path root;
  private Path bin;

  @BeforeEach
  void layout() throws IOException {
    bin = Files.createDirectories(root.resolve("dist/bin"));
    Files.copy(Path.of("bin/backstop"), bin.resolve("backstop"));
    Path fakeJava = Files.createDirectories(root.resolve("jdk/bin")).resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\necho \"$@\"\n");
    Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private void jar(String folder, String version) throws IOException {
    Path dir = Files.createDirectories(root.resolve("dist").resolve(folder));
    Files.writeString(dir.resolve("backstop-dlq-" + version + "-cli.jar"), "not a jar");
  }

  /** The jar the script passed to java after {@code -jar}. */
  private String pickedJar() throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", bin.resolve("backstop").toString());
    builder.environment().remove("BACKSTOP_JAR");
    builder.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    builder.redirectErrorStream(true);
    Process process = builder.start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the script ends").isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(out).isZero();
    String[] words = out.strip().split(" ");
    return root.resolve("dist").relativize(Path.of(words[words.length - 1]).normalize()).toString();
  }

  @Test
  void prefersTheJarNextToTheScriptOverTheBuildFolder() throws Exception {
    jar("bin", "0.1.0");
    jar("target", "0.2.0");

    assertThat(pickedJar()).isEqualTo("bin/backstop-dlq-0.1.0-cli.jar");
  }

  @Test
  void picksTheHighestVersionByNumberNotByName() throws Exception {
    jar("bin", "0.9.0");
    jar("bin", "0.10.0");
    jar("bin", "0.10.0-SNAPSHOT");
    jar("bin", "0.2.11");

    assertThat(pickedJar()).isEqualTo("bin/backstop-dlq-0.10.0-cli.jar");
  }

  @Test
  void fallsBackToLibThenToTheBuildFolder() throws Exception {
    jar("target", "0.9.0");
    jar("target", "0.10.0-SNAPSHOT");

    assertThat(pickedJar()).isEqualTo("target/backstop-dlq-0.10.0-SNAPSHOT-cli.jar");

    jar("lib", "0.3.0");

    assertThat(pickedJar()).isEqualTo("lib/backstop-dlq-0.3.0-cli.jar");
  }

  @Test
  void failsWithAHintWhenThereIsNoJar() throws Exception {
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", bin.resolve("backstop").toString());
    builder.environment().remove("BACKSTOP_JAR");
    builder.redirectErrorStream(true);
    Process process = builder.start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(out).contains("cannot find backstop-dlq-*-cli.jar");
  }
}
