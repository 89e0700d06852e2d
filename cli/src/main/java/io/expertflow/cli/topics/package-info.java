/**
 * The pipeline's topics on a cluster, as people read them: the plan of {@code expertflow topics
 * plan|apply} as a table with the commands that would bring a differing topic in line, and the
 * catalogue as Strimzi {@code KafkaTopic} resources.
 */
package io.expertflow.cli.topics;
