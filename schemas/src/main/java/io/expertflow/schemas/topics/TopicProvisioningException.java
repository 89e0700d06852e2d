package io.expertflow.schemas.topics;

/** Topics could not be created or checked: the cluster refused, failed or did not answer. */
public class TopicProvisioningException extends RuntimeException {

  public TopicProvisioningException(String message) {
    super(message);
  }

  public TopicProvisioningException(String message, Throwable cause) {
    super(message, cause);
  }
}
