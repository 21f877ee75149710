/** The demo's order service: orders and their outbox messages in one database transaction. */
package dev.backstop.samples.orders;
