package io.expertflow.cli.commands;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.model.RejectedInputException;
import io.expertflow.model.Tokenization;
import io.expertflow.model.TokenizedText;
import io.expertflow.model.corpus.DocumentFiles;
import io.expertflow.operators.text.TextDecoder;
import io.expertflow.schemas.errors.ErrorText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The documents to analyse, tokenized as the bundle's worker cuts them, each with the name it is
 * printed under; what is skipped is named on standard error and counted.
 */
final class AnalyzeDocuments {
  final Tokenization tokenization;
  final PrintWriter err;
  final List<String> names = new ArrayList<>();
  final List<String> texts = new ArrayList<>();
  final List<TokenizedText> tokenized = new ArrayList<>();
  int skipped;

  AnalyzeDocuments(Tokenization tokenization, PrintWriter err) {
    this.tokenization = tokenization;
    this.err = err;
  }

  /** A file that is one document: HTML and mail as their readable text, as submit reads them. */
  void addFile(Path f) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(f);
    } catch (IOException e) {
      skip(f.toString(), unreadable(f, e));
      return;
    }
    Optional<String> notText = DocumentFiles.notText(bytes);
    if (notText.isPresent()) {
      skip(f.toString(), DocumentFiles.notTextReason(notText.get()));
      return;
    }
    DocumentFiles.Text text = DocumentFiles.text(f, bytes);
    if (!text.valid()) {
      err.printf(
          "%s: invalid UTF-8 from byte %d, replaced%n",
          f, TextDecoder.replacing().decode(bytes).firstInvalidByteOffset());
    }
    add(f.toString(), text.text());
  }

  /**
   * A JSON Lines, CSV or TSV file: each line or record a document, read as submit reads it and
   * printed under its document id.
   */
  void addEach(Path f) {
    if (!Files.exists(f)) {
      skip(f.toString(), "no such file");
      return;
    }
    List<InferenceRequest> read = new ArrayList<>();
    try {
      new DocumentSource(
              new DocumentSource.RequestDefaults("analyze", 0, null, null),
              warning -> err.println("analyze: " + warning))
          .fromPath(f, read::add);
    } catch (IOException e) {
      skip(f.toString(), unreadable(f, e));
      return;
    } catch (IllegalArgumentException | UncheckedIOException e) {
      skip(f.toString(), ErrorText.of(e));
      return;
    }
    read.forEach(r -> add(r.getDocumentId().toString(), r.getText().toString()));
  }

  private void add(String name, String text) {
    TokenizedText tt;
    try {
      tt = tokenization.tokenize(text);
    } catch (RejectedInputException e) {
      skip(name, e.getMessage());
      return;
    }
    if (tt.chunks().isEmpty()) {
      skip(name, "it holds no token");
      return;
    }
    names.add(name);
    texts.add(text);
    tokenized.add(tt);
  }

  private void skip(String name, String why) {
    skipped++;
    err.println("analyze: " + name + ": skipped, " + why);
  }

  private static String unreadable(Path file, IOException e) {
    if (!Files.exists(file)) {
      return "no such file";
    }
    return "cannot be read: " + e.getMessage();
  }
}
