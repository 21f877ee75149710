/**
 * The Spring Boot starter: auto-configuration of the outbox and its relay, reliable consumers from
 * {@code backstop.consumers.<name>.*}, health and meters, bound from {@code backstop.*} properties
 * and validated by the modules' own configuration classes.
 */
package dev.backstop.spring;
