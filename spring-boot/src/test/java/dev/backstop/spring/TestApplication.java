package dev.backstop.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** The smallest Spring Boot application: auto-configuration only; tests add their beans. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestApplication {}
