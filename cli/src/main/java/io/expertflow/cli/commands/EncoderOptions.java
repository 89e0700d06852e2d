package io.expertflow.cli.commands;

import io.expertflow.model.bundle.EncoderFiles;
import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.model.engine.Pooling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The sentence encoder {@code expertflow train} embeds with: a shipped one by name, or a folder
 * with the user's own ONNX export ({@code model.onnx}, {@code tokenizer.json}, optionally
 * sentence-transformers' {@code 1_Pooling/config.json}).
 */
final class EncoderOptions {
  @Option(
      names = "--encoder",
      paramLabel = "NAME|DIR",
      defaultValue = "e5-small-v2-static",
      description =
          "Sentence encoder: e5-small-v2-static (the most accurate), e5-small-v2 (dynamic:"
              + " embeddings depend on the batch), bge-small-en-v1.5-static or bge-small-en-v1.5"
              + " (dynamic) (int8, 12 layers), int8-static (all-MiniLM-L6-v2, 6 layers: about"
              + " twice as fast), int8 (dynamic) or fp32 (all-MiniLM-L6-v2),"
              + " or a folder with your own ONNX"
              + " export (model.onnx, tokenizer.json with a WordPiece model) (default:"
              + " ${DEFAULT-VALUE}).")
  String encoder;

  @Option(
      names = "--pooling",
      paramLabel = "MEAN|CLS",
      description = "Pooling of a folder encoder (default: its 1_Pooling/config.json, else mean).")
  Pooling pooling;

  @Option(
      names = "--encoder-prefix",
      paramLabel = "TEXT",
      defaultValue = "",
      description = "Text a folder encoder expects before every input, e.g. 'query: '.")
  String prefix;

  /** A folder, if {@code --encoder} names an existing one. */
  private Optional<Path> folder() {
    Path p = Path.of(encoder);
    return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
  }

  /**
   * Checks the choice before any work starts.
   *
   * @throws IllegalArgumentException naming the encoders there are
   */
  void validate() {
    if (folder().isEmpty()) {
      EncoderVariant.parse(encoder);
      if (pooling != null || !prefix.isEmpty()) {
        throw new IllegalArgumentException(
            "--pooling and --encoder-prefix apply to a folder encoder; "
                + encoder
                + " has its own");
      }
    }
  }

  /** The encoder's files: extracted into {@code workDir}, or the user's folder. */
  EncoderFiles files(Path workDir) {
    return folder()
        .map(dir -> EncoderFiles.fromFolder(dir, Optional.ofNullable(pooling), prefix))
        .orElseGet(() -> EncoderFiles.extract(EncoderVariant.parse(encoder), workDir));
  }
}
