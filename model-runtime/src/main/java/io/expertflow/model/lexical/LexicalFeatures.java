package io.expertflow.model.lexical;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;

/**
 * How a text becomes TF-IDF features, the same in training and serving: lower-cased runs of letters
 * and digits, and each pair of neighbouring ones, hashed into {@code 2^}{@value #HASH_BITS} buckets
 * (so memory stays bounded whatever the vocabulary); sublinear term frequency {@code 1 + ln tf}
 * times the bucket's inverse document frequency; the vector scaled to unit length. Stateless.
 */
public final class LexicalFeatures {
  /** Bits of the bucket a term hashes to. */
  public static final int HASH_BITS = 18;

  /** Number of buckets. */
  public static final int BUCKETS = 1 << HASH_BITS;

  private LexicalFeatures() {}

  /**
   * A sparse vector: bucket indices in ascending order and their values.
   *
   * @param index buckets, ascending, each at most once
   * @param value the value of each bucket in {@code index}
   */
  public record Sparse(int[] index, float[] value) {}

  /** The bucket of each of the text's terms, in order. */
  public static int[] buckets(String text) {
    return terms(text).stream().mapToInt(LexicalFeatures::bucket).toArray();
  }

  /** A term's bucket: its string hash (the same in every JVM), mixed, top bits. */
  public static int bucket(String term) {
    return (term.hashCode() * 0x9E3779B9) >>> (32 - HASH_BITS);
  }

  /** Lower-cased runs of letters and digits, then each pair of neighbours joined by a space. */
  public static List<String> terms(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    text.codePoints()
        .forEach(
            cp -> {
              if (Character.isLetterOrDigit(cp)) {
                word.appendCodePoint(cp);
              } else if (word.length() > 0) {
                words.add(word.toString().toLowerCase(Locale.ROOT));
                word.setLength(0);
              }
            });
    if (word.length() > 0) {
      words.add(word.toString().toLowerCase(Locale.ROOT));
    }
    List<String> terms = new ArrayList<>(words.size() * 2);
    terms.addAll(words);
    for (int i = 1; i < words.size(); i++) {
      terms.add(words.get(i - 1) + " " + words.get(i));
    }
    return terms;
  }

  /**
   * The unit-length TF-IDF vector of a document's buckets.
   *
   * @param buckets the bucket of each term, as {@link #buckets} gives them
   * @param idf each bucket's inverse document frequency; buckets with 0 are left out
   */
  public static Sparse vector(int[] buckets, IntToDoubleFunction idf) {
    int[] sorted = Arrays.stream(buckets).filter(i -> idf.applyAsDouble(i) > 0).sorted().toArray();
    int[] index = new int[sorted.length];
    float[] value = new float[sorted.length];
    int k = 0;
    double norm = 0;
    for (int i = 0; i < sorted.length; k++) {
      int run = i;
      while (run < sorted.length && sorted[run] == sorted[i]) {
        run++;
      }
      index[k] = sorted[i];
      value[k] = (float) ((1 + Math.log(run - i)) * (float) idf.applyAsDouble(sorted[i]));
      norm += value[k] * value[k];
      i = run;
    }
    index = Arrays.copyOf(index, k);
    value = Arrays.copyOf(value, k);
    if (norm > 0) {
      float scale = (float) (1 / Math.sqrt(norm));
      for (int j = 0; j < value.length; j++) {
        value[j] *= scale;
      }
    }
    return new Sparse(index, value);
  }
}
