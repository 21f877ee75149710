/** The whole pipeline under injected faults, and the invariant checker. */
package dev.backstop.reliability;
