/** Implementation of the transactional outbox; not API, may change in any release. */
package dev.backstop.outbox.internal;
