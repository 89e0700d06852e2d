/**
 * What a client was not allowed to do on Kafka, said as the ACL it lacks: the operation and the
 * resource, so a person can grant exactly that.
 */
package io.expertflow.schemas.access;
