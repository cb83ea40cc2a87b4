package dev.mole.console.internal;

/** The body of every error answer: what went wrong in words, the status again, and the path that was asked. */
public record ApiError(String error, int status, String path) {}
