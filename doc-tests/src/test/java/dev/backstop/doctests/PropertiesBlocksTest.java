package dev.backstop.doctests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.BackstopProperties;
import dev.backstop.core.ConfigKey;
import dev.backstop.doctests.ConfigCatalog.Module;
import dev.backstop.doctests.Markdown.Block;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code ```properties} block of README.md and docs/*.md is read as a service would read its
 * file and loaded through the configuration class of every module whose keys it sets ({@link
 * ConfigCatalog}). A block fails, named by file and line, when:
 *
 * <ul>
 *   <li>a value carries an inline {@code # comment} (a properties file has none: it becomes part of
 *       the value);
 *   <li>a {@code backstop.*} key is declared by no module;
 *   <li>a {@code kafka.*} key is not a Kafka consumer, producer or admin client setting;
 *   <li>a configuration class rejects the block (an invalid value, a contradiction, a class not on
 *       the class path).
 * </ul>
 *
 * <p>What the test supplies, because a documentation block is an excerpt of a service's file: a
 * placeholder for each {@code ${VAR}} without a default (a secret from the environment), and a
 * placeholder for each required key of a module the block does not set (a block showing only tiers
 * still needs a group id to load). Keys declared by one module are not passed to another
 * (ReliableConsumerConfig owns {@code backstop.dlq.*} and would otherwise reject DlqConfig's {@code
 * backstop.dlq.read.*}); a key no module declares is passed to every module, so the one owning its
 * prefix names the nearest known key.
 */
class PropertiesBlocksTest {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}:]+)}");
  private static final Pattern INLINE_COMMENT = Pattern.compile("\\s#");

  @TestFactory
  Stream<DynamicTest> everyPropertiesBlockLoads() {
    return Markdown.blocks("properties").stream()
        .map(block -> DynamicTest.dynamicTest(block.where(), () -> check(block)));
  }

  @Test
  void theDocsHavePropertiesBlocks() {
    assertThat(Markdown.blocks("properties")).hasSizeGreaterThanOrEqualTo(5);
  }

  static void check(Block block) throws IOException {
    if (block.notChecked()) {
      assertThat(block.arg()).as(block.where() + ": not-checked needs a reason").isNotBlank();
      System.out.println(block.where() + " not checked: " + block.arg());
      return;
    }
    List<String> problems = problems(block.text());
    assertThat(problems).as("properties block at %s:%n%s", block.where(), block.text()).isEmpty();
  }

  /** Every problem of one block's text; empty when it loads. */
  static List<String> problems(String text) throws IOException {
    List<String> problems = new ArrayList<>(inlineComments(text));
    Properties raw = new Properties();
    raw.load(new StringReader(text));
    Map<String, String> env = new LinkedHashMap<>();
    Matcher variables = VARIABLE.matcher(text);
    while (variables.find()) {
      env.put(variables.group(1), "placeholder-" + variables.group(1));
    }
    BackstopProperties resolved;
    try {
      resolved = BackstopProperties.from(raw, env);
    } catch (RuntimeException e) {
      problems.add(e.getMessage());
      return problems;
    }
    for (String key : raw.stringPropertyNames()) {
      if (!key.startsWith("backstop.") && !key.startsWith("kafka.")) {
        problems.add("Key " + key + " is neither backstop.* nor kafka.*: no module reads it");
      }
    }
    problems.addAll(unknownKafkaKeys(resolved.kafka().keySet()));
    Set<Module> owners = new LinkedHashSet<>();
    for (String key : resolved.backstop().keySet()) {
      Module owner = ConfigCatalog.owner(key);
      if (owner == null) {
        problems.add("Unknown key " + key + ": no configuration class declares it");
        owners.addAll(ConfigCatalog.MODULES); // the module owning its prefix names the nearest key
      } else {
        owners.add(owner);
      }
    }
    for (Module module : owners) {
      try {
        module.load().apply(forModule(module, resolved));
      } catch (RuntimeException e) {
        problems.add(module.name() + ": " + e.getMessage());
      }
    }
    return problems;
  }

  private static Properties forModule(Module module, BackstopProperties resolved) {
    Properties props = new Properties();
    resolved.kafka().forEach((k, v) -> props.setProperty("kafka." + k, v.toString()));
    Map<String, ConfigKey<?>> own = module.keys();
    resolved
        .backstop()
        .forEach(
            (k, v) -> {
              if (own.containsKey(k) || ConfigCatalog.owner(k) == null) {
                props.setProperty(k, v);
              }
            });
    for (ConfigKey<?> key : own.values()) {
      if (key.isRequired() && !props.containsKey(key.name())) {
        props.setProperty(key.name(), "placeholder");
      }
    }
    if (module.type() == dev.backstop.dlq.DlqConfig.class) {
      props.putIfAbsent("kafka.bootstrap.servers", "placeholder:9092");
    }
    return props;
  }

  private static List<String> inlineComments(String text) {
    List<String> problems = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
        continue;
      }
      if (INLINE_COMMENT.matcher(line).find()) {
        problems.add(
            "Line "
                + (i + 1)
                + " has an inline comment, which a properties file reads as part of the value: "
                + line);
      }
    }
    return problems;
  }

  private static List<String> unknownKafkaKeys(Set<String> keys) {
    Set<String> known = new TreeSet<>(ConsumerConfig.configNames());
    known.addAll(ProducerConfig.configNames());
    known.addAll(AdminClientConfig.configNames());
    List<String> problems = new ArrayList<>();
    for (String key : keys) {
      if (!known.contains(key)) {
        problems.add(
            "Unknown key kafka." + key + ": not a Kafka consumer, producer or admin setting");
      }
    }
    return problems;
  }
}
