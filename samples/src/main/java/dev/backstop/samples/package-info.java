/**
 * The runnable demo: an order service writing through the outbox, a payment service consuming with
 * retry tiers and the idempotent consumer, and the infrastructure both run on. Not API.
 */
package dev.backstop.samples;
