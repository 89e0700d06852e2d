/**
 * The model-version protocol that the updater writes and every worker follows: {@link
 * io.expertflow.schemas.topics.TopicNames} names the compacted {@code model-versions} and {@code
 * expert-updates} topics, {@link io.expertflow.versions.VersionKeys} keys them so that every
 * version's tensors stay findable, {@link io.expertflow.versions.VersionPublisher} writes a
 * version, {@link io.expertflow.versions.VersionCatalog} rebuilds any published version from the
 * two topics and the base bundle, and {@link io.expertflow.versions.VersionHistory} / {@link
 * io.expertflow.versions.VersionRollback} list and roll back versions.
 *
 * <p>Shared by the worker (which follows versions) and the updater (which publishes them); it
 * depends on neither.
 */
package io.expertflow.versions;
