package io.expertflow.model.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.List;

/**
 * Direct int64 buffers for the encoder's three inputs, grown as needed and reused between batches;
 * ONNX Runtime reads direct buffers without copying them. Used by one caller at a time.
 */
final class InputBuffers {
  LongBuffer ids = allocate(0);
  LongBuffer mask = allocate(0);
  LongBuffer types = allocate(0);

  /** Writes the padded ids and the mask of a batch; token types stay 0. */
  void fill(List<int[]> chunks, int seq) {
    int size = chunks.size() * seq;
    if (ids.capacity() < size) {
      int capacity = Math.max(size, ids.capacity() * 2);
      ids = allocate(capacity);
      mask = allocate(capacity);
      types = allocate(capacity);
    }
    ids.clear();
    mask.clear();
    for (int[] chunk : chunks) {
      for (int t = 0; t < seq; t++) {
        boolean real = t < chunk.length;
        ids.put(real ? chunk[t] : 0L);
        mask.put(real ? 1L : 0L);
      }
    }
    ids.flip();
    mask.flip();
    types.clear().limit(size);
  }

  private static LongBuffer allocate(int values) {
    return ByteBuffer.allocateDirect(values * Long.BYTES)
        .order(ByteOrder.nativeOrder())
        .asLongBuffer();
  }
}
