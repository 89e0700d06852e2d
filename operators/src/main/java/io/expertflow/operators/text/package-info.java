/**
 * Text preparation for the encoder: a pure-Java BERT WordPiece tokenizer read from a Hugging Face
 * {@code tokenizer.json} ({@link io.expertflow.operators.text.WordPieceTokenizer}), a chunker that
 * cuts a document into overlapping token windows ({@link
 * io.expertflow.operators.text.DocumentChunker}), and a strict UTF-8 decoder ({@link
 * io.expertflow.operators.text.TextDecoder}).
 *
 * <p>Rejected input is reported with subclasses of {@link
 * io.expertflow.operators.text.TextRejectedException}, which callers map to dead-letter reasons in
 * one place. Nothing in this package logs document text or puts it into exception messages.
 */
package io.expertflow.operators.text;
