/** Implementation of the dead-letter tools; not API, may change in any release. */
package dev.backstop.dlq.internal;
