/**
 * The document memory's side of the streams app: the topology that writes the memory topic from
 * responses and attributed feedback, and the similar-documents lookups of the status API.
 */
package io.expertflow.streams.memory;
