package io.expertflow.memory;

import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * The index's field layout: how a {@link MemoryEntry} becomes a Lucene document and how a hit
 * becomes a {@link Neighbour}. The corrected label is a binary doc-values field so that feedback
 * updates it in place ({@code IndexWriter.updateBinaryDocValue}) without rewriting the vector; an
 * empty value means "not corrected". Stateless.
 */
final class MemoryFields {
  static final String REQUEST_ID = "request_id";
  static final String TENANT = "tenant";
  static final String TIMESTAMP = "timestamp";
  static final String TIMESTAMP_STORED = "timestamp_ms";
  static final String PREDICTED = "predicted_label";
  static final String CORRECTED = "corrected_label";
  static final String EMBEDDING = "embedding";
  static final String TENANT_STORED = "tenant_stored";
  static final String ENCODER = "encoder";

  /** Embeddings are L2-normalised, so the dot product is their cosine similarity. */
  static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

  private static final Set<String> STORED = Set.of(REQUEST_ID, TIMESTAMP_STORED, PREDICTED);
  private static final BytesRef NOT_CORRECTED = new BytesRef(new byte[0]);

  private MemoryFields() {}

  static Term key(String requestId) {
    return new Term(REQUEST_ID, requestId);
  }

  static Term tenant(String tenant) {
    return new Term(TENANT, tenant);
  }

  static Document document(MemoryEntry e) {
    Document d = new Document();
    d.add(new StringField(REQUEST_ID, e.requestId(), Field.Store.YES));
    d.add(new StringField(TENANT, e.tenant(), Field.Store.NO));
    d.add(new StoredField(TENANT_STORED, e.tenant()));
    long millis = e.timestamp().toEpochMilli();
    d.add(new LongPoint(TIMESTAMP, millis));
    d.add(new StoredField(TIMESTAMP_STORED, millis));
    d.add(new StoredField(PREDICTED, e.predictedLabel()));
    d.add(corrected(e.correctedLabel()));
    d.add(new KnnFloatVectorField(EMBEDDING, e.embeddingView(), SIMILARITY));
    if (e.encoder() != null) {
      d.add(new StringField(ENCODER, e.encoder(), Field.Store.YES));
      // doc values too, so that "names an encoder" can be asked of every entry (FieldExistsQuery)
      d.add(new SortedDocValuesField(ENCODER, new BytesRef(e.encoder())));
    }
    return d;
  }

  /**
   * The entries a query of {@code tenant} may see: that tenant's, and with {@code encoder} given,
   * only those of that encoder or of none recorded (entries written before records named it); with
   * {@code encoder} null, those of every encoder.
   */
  static Query visibleTo(String tenant, String encoder) {
    Query ofTenant = new TermQuery(tenant(tenant));
    if (encoder == null) {
      return ofTenant;
    }
    Query ofAnotherEncoder =
        new BooleanQuery.Builder()
            .add(new FieldExistsQuery(ENCODER), BooleanClause.Occur.FILTER)
            .add(new TermQuery(new Term(ENCODER, encoder)), BooleanClause.Occur.MUST_NOT)
            .build();
    return new BooleanQuery.Builder()
        .add(ofTenant, BooleanClause.Occur.FILTER)
        .add(ofAnotherEncoder, BooleanClause.Occur.MUST_NOT)
        .build();
  }

  static BinaryDocValuesField corrected(String label) {
    return new BinaryDocValuesField(CORRECTED, label == null ? NOT_CORRECTED : new BytesRef(label));
  }

  /** The whole entry at {@code leafDoc} of {@code leaf}, its embedding included. */
  static MemoryEntry entry(LeafReader leaf, int leafDoc) throws IOException {
    Document d = leaf.storedFields().document(leafDoc);
    FloatVectorValues vectors = leaf.getFloatVectorValues(EMBEDDING);
    if (vectors == null || vectors.advance(leafDoc) != leafDoc) {
      throw new IllegalStateException("entry " + d.get(REQUEST_ID) + " has no embedding");
    }
    return new MemoryEntry(
        d.get(REQUEST_ID),
        d.get(TENANT_STORED),
        Instant.ofEpochMilli(d.getField(TIMESTAMP_STORED).numericValue().longValue()),
        d.get(PREDICTED),
        correctedLabel(leaf, leafDoc),
        vectors.vectorValue().clone(),
        d.get(ENCODER));
  }

  private static String correctedLabel(LeafReader leaf, int leafDoc) throws IOException {
    BinaryDocValues values = leaf.getBinaryDocValues(CORRECTED);
    if (values != null && values.advanceExact(leafDoc)) {
      BytesRef b = values.binaryValue();
      if (b.length > 0) {
        return b.utf8ToString();
      }
    }
    return null;
  }

  /**
   * The neighbour at {@code leafDoc} of {@code leaf}, from the stored fields and the corrected
   * label's doc values.
   *
   * @param score Lucene's DOT_PRODUCT score, {@code (1 + dot) / 2}
   */
  static Neighbour neighbour(LeafReader leaf, int leafDoc, float score) throws IOException {
    StoredFields stored = leaf.storedFields();
    Document d = stored.document(leafDoc, STORED);
    String corrected = null;
    BinaryDocValues values = leaf.getBinaryDocValues(CORRECTED);
    if (values != null && values.advanceExact(leafDoc)) {
      BytesRef b = values.binaryValue();
      if (b.length > 0) {
        corrected = b.utf8ToString();
      }
    }
    return new Neighbour(
        d.get(REQUEST_ID),
        Math.max(-1.0, Math.min(1.0, 2.0 * score - 1.0)),
        Instant.ofEpochMilli(d.getField(TIMESTAMP_STORED).numericValue().longValue()),
        d.get(PREDICTED),
        corrected);
  }
}
