/** Implementation of the idempotent consumer; not API, may change in any release. */
package dev.backstop.idempotency.internal;
