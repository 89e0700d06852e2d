package io.expertflow.model.corpus;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes labelled documents as JSON Lines ({@code {"id": ..., "label": ..., "text": ...}} per
 * line), the format {@code expertflow train --data} reads. Streams; the file appears whole or not
 * at all (written beside it, then renamed). Stateless.
 */
public final class JsonLinesWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLinesWriter() {}

  /** Writes {@code documents} in their order to {@code file}; returns how many. */
  public static int write(Iterable<LabeledDocument> documents, Path file) throws IOException {
    Path target = file.toAbsolutePath().normalize();
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
    int n = 0;
    try {
      try (OutputStream out = Files.newOutputStream(tmp);
          JsonGenerator json = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
        json.setRootValueSeparator(null);
        for (LabeledDocument d : documents) {
          json.writeStartObject();
          json.writeStringField(DataFields.DEFAULT_ID, d.id());
          json.writeStringField(DataFields.DEFAULT_LABEL, d.label());
          json.writeStringField(DataFields.DEFAULT_TEXT, d.text());
          json.writeEndObject();
          json.writeRaw('\n');
          n++;
        }
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return n;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
