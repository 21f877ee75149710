/** A real Kafka broker and a real database for tests, samples and benchmarks. */
package dev.backstop.testkit;
