package io.expertflow.schemas.topics;

import java.util.List;

/**
 * What {@link TopicProvisioner#provision} did.
 *
 * @param created topics it created
 * @param existing topics that already existed and match their specs
 */
public record ProvisioningResult(List<String> created, List<String> existing) {

  public ProvisioningResult {
    created = List.copyOf(created);
    existing = List.copyOf(existing);
  }
}
