package dev.backstop.dlq.cli;

/** Output format of the reading commands. */
enum Format {
  /** Aligned columns for a person. */
  table,
  /** One JSON object per line, fields as documented in docs/dlq.md. */
  json
}
