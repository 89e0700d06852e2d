package io.expertflow.streams.memory;

import com.fasterxml.jackson.databind.JsonNode;
import io.expertflow.streams.status.CallerTokens;

/**
 * What a {@code POST /v1/similar} body asks, checked: whose documents to search, the vector, the
 * encoder that made it (null: compare with every encoder's documents) and how many neighbours.
 *
 * @param tenant the tenant whose documents are searched; the caller's when the body names none
 * @param encoder the body's {@code encoder_id}, or null when it gives none
 * @param embedding the vector, as given (the memory checks its size and norm)
 * @param k neighbours to return, between 1 and {@link SimilarHandler#MAX_K}
 */
record VectorQuery(String tenant, String encoder, float[] embedding, int k) {

  /** A body that cannot be answered: the HTTP status and what to tell the caller. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /**
   * Reads {@code request}.
   *
   * @param caller the caller's tenant from its token ({@link CallerTokens#callerTenant}), or null
   *     without tokens
   * @throws Refused with 400 for a missing or malformed field, 403 for a tenant the caller's token
   *     does not give access to
   */
  static VectorQuery parse(JsonNode request, String caller, int defaultK) throws Refused {
    String tenant = request.path("tenant").asText(null);
    if (tenant == null && caller != null && !CallerTokens.ALL_TENANTS.equals(caller)) {
      tenant = caller;
    }
    if (tenant == null || tenant.isEmpty()) {
      throw new Refused(400, "give the tenant whose documents to search (\"tenant\")");
    }
    if (!CallerTokens.mayRead(caller, tenant)) {
      throw new Refused(403, "your token does not give access to tenant " + tenant);
    }
    JsonNode values = request.path("embedding");
    if (!values.isArray() || values.isEmpty()) {
      throw new Refused(400, "give the embedding as an array of numbers (\"embedding\")");
    }
    JsonNode encoderId = request.path("encoder_id");
    if (!absent(encoderId) && !(encoderId.isTextual() && !encoderId.asText().isEmpty())) {
      throw new Refused(
          400,
          "encoder_id names the encoder that made the embedding (a response's encoder_id), as a"
              + " non-empty string");
    }
    float[] embedding = new float[values.size()];
    for (int i = 0; i < embedding.length; i++) {
      if (!values.get(i).isNumber()) {
        throw new Refused(400, "embedding[" + i + "] is not a number");
      }
      embedding[i] = (float) values.get(i).asDouble();
    }
    JsonNode given = request.path("k");
    if (!absent(given) && !(given.canConvertToExactIntegral() && given.canConvertToInt())) {
      throw new Refused(400, "k must be a whole number between 1 and " + SimilarHandler.MAX_K);
    }
    try {
      int k = SimilarHandler.k(absent(given) ? defaultK : given.asInt());
      return new VectorQuery(
          tenant, encoderId.isTextual() ? encoderId.asText() : null, embedding, k);
    } catch (IllegalArgumentException e) {
      throw new Refused(400, e.getMessage());
    }
  }

  private static boolean absent(JsonNode field) {
    return field.isMissingNode() || field.isNull();
  }
}
