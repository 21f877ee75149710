/**
 * The {@code backstop} command line: {@code backstop dlq list|show|stats|replay|export}. Each
 * subcommand is a thin shell over {@link dev.backstop.dlq.DeadLetters}. Exit codes: 0 success, 1
 * failure, 2 usage error. Machine-readable output goes to standard output, everything else to
 * standard error.
 */
package dev.backstop.dlq.cli;
