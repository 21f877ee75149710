package dev.backstop.samples.orders;

/**
 * The event the order service publishes for every new order, as JSON: the contract between the two
 * services. Immutable and thread-safe.
 *
 * @param orderId the order's id, also the Kafka record key (so one order's events keep their order)
 * @param customer who ordered
 * @param amountCents what to charge, in cents
 * @param card the card to charge
 */
public record OrderPlaced(String orderId, String customer, long amountCents, String card) {}
