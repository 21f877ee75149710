/**
 * The Spring Boot sample: the starter's outbox, a consumer block and health, configured in
 * application.yml.
 */
package dev.backstop.samples.boot;
