package dev.backstop.doctests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.ConfigKey;
import dev.backstop.core.Durations;
import dev.backstop.doctests.Markdown.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration tables of README.md and docs/*.md (rows whose first cell is a {@code
 * backstop.*} key, in a table with a {@code default} column) agree with the keys the configuration
 * classes declare ({@link ConfigCatalog}): every documented key exists, its documented default is
 * the key's real default, and the README's reference lists every key.
 *
 * <p>A default cell reads {@code required} for a required key; {@code empty}, {@code (empty…)} or
 * {@code —} for an empty or unset default; otherwise it holds the default as configuration text in
 * backticks ({@code `30s`}, {@code `1s,30s,10m`}); a duration may be written in another unit
 * ({@code `60s`} for {@code 1m}).
 */
class ConfigTablesTest {
  private static final Pattern KEY = Pattern.compile("^`(backstop\\.[a-z0-9.-]+)`$");

  @Test
  void everyDocumentedKeyExistsWithItsRealDefault() {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Row row : Markdown.tableRows()) {
      int defaultColumn = row.header().indexOf("default");
      Matcher key = KEY.matcher(row.cells().get(0));
      if (defaultColumn < 0 || !key.matches() || row.cells().size() <= defaultColumn) {
        continue;
      }
      checked++;
      ConfigKey<?> declared = ConfigCatalog.key(key.group(1));
      if (declared == null) {
        problems.add(row.where() + ": " + key.group(1) + " is declared by no configuration class");
        continue;
      }
      String problem = defaultProblem(declared, row.cells().get(defaultColumn));
      if (problem != null) {
        problems.add(row.where() + ": " + key.group(1) + " " + problem);
      }
    }
    assertThat(checked).as("configuration rows found").isGreaterThan(50);
    assertThat(problems).as("configuration tables that disagree with the code").isEmpty();
  }

  @Test
  void theReadmeReferenceListsEveryKey() {
    Set<String> documented = new TreeSet<>();
    for (Row row : Markdown.tableRows()) {
      Matcher key = KEY.matcher(row.cells().get(0));
      if (row.file().equals("README.md") && row.header().contains("default") && key.matches()) {
        documented.add(key.group(1));
      }
    }
    Collection<String> missing = new TreeSet<>(ConfigCatalog.allKeys());
    missing.removeAll(documented);
    assertThat(missing).as("keys missing from the README's configuration reference").isEmpty();
  }

  static <T> String defaultProblem(ConfigKey<T> key, String cell) {
    if (key.isRequired()) {
      return cell.contains("required") ? null : "is required, but the table says " + cell;
    }
    T value = key.defaultValue();
    String rendered = value == null ? "" : key.isSecret() ? value.toString() : key.render(value);
    if (rendered.isEmpty()) {
      boolean saysEmpty = cell.startsWith("empty") || cell.startsWith("(empty") || cell.equals("—");
      return saysEmpty ? null : "has no default, but the table says " + cell;
    }
    if (cell.contains("`" + rendered + "`") || sameDuration(value, cell)) {
      return null;
    }
    return "defaults to `" + rendered + "`, but the table says " + cell;
  }

  /** {@code `60s`} documents a default of one minute as well as {@code `1m`}. */
  private static boolean sameDuration(Object value, String cell) {
    Matcher code = Pattern.compile("`([^`]+)`").matcher(cell);
    if (!(value instanceof Duration) || !code.find()) {
      return false;
    }
    try {
      return Durations.parse(code.group(1)).equals(value);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
