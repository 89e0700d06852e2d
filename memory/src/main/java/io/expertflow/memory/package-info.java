/**
 * The document memory: answered documents' embeddings in an on-disk HNSW vector index (Apache
 * Lucene), the nearest earlier documents of one tenant, near-duplicate flags, and the fusion of the
 * neighbours' labels with the head's probabilities. Free of Kafka and of the model runtime: the
 * caller brings embeddings and labels.
 */
package io.expertflow.memory;
