/**
 * The TF-IDF model a bundle may serve beside its head: TF-IDF features of a document's words and
 * word pairs ({@link io.expertflow.model.lexical.LexicalFeatures}) and a softmax regression over
 * them ({@link io.expertflow.model.lexical.LexicalModel}), whose log-probabilities are added,
 * weighted, to the head's. Training fits it; workers and {@code expertflow analyze} apply it.
 */
package io.expertflow.model.lexical;
