package dev.backstop.spring;

/**
 * The application's Micrometer {@code MeterRegistry}, typed {@code Object} so Micrometer stays
 * optional; null without one. Thread-safety: immutable.
 *
 * @param registry a {@code io.micrometer.core.instrument.MeterRegistry}, or null
 */
public record BackstopMeters(Object registry) {}
