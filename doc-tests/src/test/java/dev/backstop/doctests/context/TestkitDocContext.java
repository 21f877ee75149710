package dev.backstop.doctests.context;

/** What the prose around the Java blocks of this file takes as given. */
public abstract class TestkitDocContext {}
