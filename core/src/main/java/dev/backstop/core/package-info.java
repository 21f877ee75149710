/** The message contract and the shared building blocks of Backstop. */
package dev.backstop.core;
