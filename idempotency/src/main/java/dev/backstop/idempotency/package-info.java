/**
 * The idempotent consumer: a processed-message store whose claim commits with the handler's own
 * database writes ({@link dev.backstop.idempotency.IdempotencyStore}), handler decorators for a
 * plain consumer loop or the consumer wrapper ({@link dev.backstop.idempotency.IdempotentHandler}),
 * lease mode for side effects outside the database, and a retention sweeper.
 */
package dev.backstop.idempotency;
