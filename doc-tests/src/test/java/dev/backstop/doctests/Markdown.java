package dev.backstop.doctests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The documentation files (README.md and docs/*.md) and their fenced code blocks.
 *
 * <p>A block may be preceded (on the line before the fence, blank lines allowed) by one marker:
 *
 * <ul>
 *   <li>{@code <!-- not-checked: reason -->}: the block is intentionally not loaded or compiled;
 *       the tests report the reason.
 *   <li>{@code <!-- same-as: path/in/repo.java -->}: the block's lines appear, in order, in that
 *       tested file (see {@code JavaBlocksTest}).
 * </ul>
 */
final class Markdown {
  private static final Pattern FENCE = Pattern.compile("^```(\\S*)\\s*$");
  private static final Pattern MARKER =
      Pattern.compile("^<!--\\s*(not-checked|same-as):\\s*(.*?)\\s*-->\\s*$");

  private Markdown() {}

  /** A fenced block: file relative to the root, line of the opening fence, language, text. */
  record Block(String file, int line, String language, String text, String marker, String arg) {
    String where() {
      return file + ":" + line;
    }

    boolean notChecked() {
      return "not-checked".equals(marker);
    }

    boolean sameAs() {
      return "same-as".equals(marker);
    }
  }

  /** A table row: file, line, the header cells and this row's cells. */
  record Row(String file, int line, List<String> header, List<String> cells) {
    String where() {
      return file + ":" + line;
    }
  }

  static Path root() {
    String root = System.getProperty("backstop.docs.root", "..");
    return Path.of(root).toAbsolutePath().normalize();
  }

  /** README.md and every docs/*.md, sorted. */
  static List<Path> files() {
    Path root = root();
    List<Path> files = new ArrayList<>();
    files.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String relative(Path file) {
    return root().relativize(file).toString();
  }

  /** Every fenced block of every documentation file with the given language. */
  static List<Block> blocks(String language) {
    List<Block> result = new ArrayList<>();
    for (Path file : files()) {
      blocks(relative(file), lines(file)).stream()
          .filter(b -> b.language().equals(language))
          .forEach(result::add);
    }
    return result;
  }

  static List<Block> blocks(String file, List<String> lines) {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      int start = i;
      StringBuilder text = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
        text.append(lines.get(i)).append('\n');
      }
      String[] marker = markerBefore(lines, start);
      blocks.add(new Block(file, start + 1, open.group(1), text.toString(), marker[0], marker[1]));
    }
    return blocks;
  }

  private static String[] markerBefore(List<String> lines, int fence) {
    for (int i = fence - 1; i >= 0; i--) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      Matcher m = MARKER.matcher(line);
      return m.matches() ? new String[] {m.group(1), m.group(2)} : new String[] {null, null};
    }
    return new String[] {null, null};
  }

  /** Every table row (outside code blocks) of every documentation file, header rows excluded. */
  static List<Row> tableRows() {
    List<Row> rows = new ArrayList<>();
    for (Path file : files()) {
      List<String> lines = lines(file);
      boolean inCode = false;
      List<String> header = null;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.startsWith("```")) {
          inCode = !inCode;
          continue;
        }
        if (inCode || !line.startsWith("|")) {
          header = null;
          continue;
        }
        List<String> cells = cells(line);
        if (header == null) {
          header = cells;
        } else if (!cells.stream().allMatch(c -> c.matches(":?-+:?"))) {
          rows.add(new Row(relative(file), i + 1, header, cells));
        }
      }
    }
    return rows;
  }

  private static List<String> cells(String line) {
    String inner = line.strip();
    inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
    List<String> cells = new ArrayList<>();
    for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
      cells.add(cell.strip());
    }
    return cells;
  }
}
