package dev.backstop.doctests.context;

/** What the prose around the Java blocks of docs/samples.md takes as given (they are lifted). */
public abstract class SamplesDocContext {}
