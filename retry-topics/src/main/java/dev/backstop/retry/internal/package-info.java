/** Implementation of the consumer wrapper; not API, may change without notice. */
package dev.backstop.retry.internal;
