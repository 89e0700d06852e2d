package io.expertflow.cli.demo;

/**
 * A document the demo submits.
 *
 * @param id document id
 * @param text the text
 * @param label the true label when known (corpus documents), else null (the user's files)
 */
public record DemoDocument(String id, String text, String label) {}
