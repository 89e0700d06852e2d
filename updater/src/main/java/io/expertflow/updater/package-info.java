/**
 * The weekly expert update on Kafka: {@link io.expertflow.updater.UpdaterService} turns closed
 * feedback windows into new expert tensors on the compacted {@code expert-updates} topic and a
 * {@link io.expertflow.avro.ModelVersion} on the compacted {@code model-versions} topic; {@link
 * io.expertflow.versions.VersionCatalog} rebuilds any published version from those two topics and
 * the base bundle. Keys (see {@link io.expertflow.versions.VersionKeys}) keep every version's
 * tensors, so a rollback finds them.
 */
package io.expertflow.updater;
