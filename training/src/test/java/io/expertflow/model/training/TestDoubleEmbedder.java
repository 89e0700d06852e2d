package io.expertflow.model.training;

import java.util.ArrayList;
import java.util.List;

/**
 * Test double of an encoder: hashes each word into a fixed-size vector, so that documents sharing
 * vocabulary land close together. Splits text into chunks of {@code wordsPerChunk} words and counts
 * how many chunks it embedded.
 */
final class TestDoubleEmbedder implements ChunkEmbedder {
  private final int dim;
  private final int wordsPerChunk;
  long chunksEmbedded;

  TestDoubleEmbedder(int dim, int wordsPerChunk) {
    this.dim = dim;
    this.wordsPerChunk = wordsPerChunk;
  }

  @Override
  public String cacheKey() {
    return "test-double-hashing|dim=" + dim + "|words=" + wordsPerChunk;
  }

  @Override
  public int dimension() {
    return dim;
  }

  @Override
  public EmbeddedChunks embed(String text, int maxChunks) {
    String[] words = text.strip().split("\\s+");
    List<float[]> chunks = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (int start = 0; start < words.length && chunks.size() < maxChunks; start += wordsPerChunk) {
      float[] v = new float[dim];
      for (int i = start; i < Math.min(words.length, start + wordsPerChunk); i++) {
        v[Math.floorMod(words[i].hashCode(), dim)] += 1f;
      }
      double norm = 0;
      for (float x : v) {
        norm += x * x;
      }
      for (int i = 0; i < dim; i++) {
        v[i] /= (float) Math.sqrt(norm);
      }
      chunks.add(v);
      counts.add(Math.min(words.length, start + wordsPerChunk) - start);
      chunksEmbedded++;
    }
    return new EmbeddedChunks(chunks, counts.stream().mapToInt(Integer::intValue).toArray());
  }
}
