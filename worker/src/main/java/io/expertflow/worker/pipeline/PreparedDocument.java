package io.expertflow.worker.pipeline;

import io.expertflow.model.TokenizedText;

/** A validated, tokenised document with the digest of its text. */
record PreparedDocument(TokenizedText tokens, String inputSha256) {}
