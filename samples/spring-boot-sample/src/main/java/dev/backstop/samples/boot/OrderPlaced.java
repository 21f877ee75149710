package dev.backstop.samples.boot;

/**
 * The event the order service publishes through the outbox.
 *
 * @param orderId the order
 * @param customer who pays
 * @param amountCents how much
 */
public record OrderPlaced(String orderId, String customer, long amountCents) {}
