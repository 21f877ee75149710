/**
 * The demo's payment service: a reliable consumer with retry tiers, a dead-letter topic and the
 * idempotent handler.
 */
package dev.backstop.samples.payments;
