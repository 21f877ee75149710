package dev.backstop.samples;

/**
 * One invariant the demo checks at the end. Immutable.
 *
 * @param name what must hold
 * @param holds whether it does
 * @param detail the figures behind the verdict
 */
public record Invariant(String name, boolean holds, String detail) {}
