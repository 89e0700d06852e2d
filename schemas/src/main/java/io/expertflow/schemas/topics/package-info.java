/**
 * The pipeline's Kafka topics as typed specifications, and their idempotent provisioning.
 *
 * <p>{@link io.expertflow.schemas.topics.TopicCatalog} names every topic of the pipeline under one
 * prefix with its partitions, replication and cleanup policy; {@link
 * io.expertflow.schemas.topics.TopicProvisioner} makes a cluster match it (creating what is
 * missing, reporting what differs) and works around KAFKA-15591 before anyone produces.
 */
package io.expertflow.schemas.topics;
