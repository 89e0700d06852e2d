/**
 * Compliance and audit: each response on {@code responses} is judged by the rule engine of {@code
 * io.expertflow.operators.compliance}, routed to {@code responses.approved}, {@code .review} or
 * {@code .blocked}, and traced by one {@link io.expertflow.avro.AuditRecord} on {@code audit}.
 * Built by {@link io.expertflow.streams.compliance.ComplianceTopology#build}.
 */
package io.expertflow.streams.compliance;
