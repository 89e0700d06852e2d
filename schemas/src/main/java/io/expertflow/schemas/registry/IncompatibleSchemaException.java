package io.expertflow.schemas.registry;

/** A schema was rejected because it is not compatible with the subject's earlier versions. */
public final class IncompatibleSchemaException extends SchemaRegistryException {
  public IncompatibleSchemaException(String message, int status, int errorCode) {
    super(message, status, errorCode, null);
  }
}
