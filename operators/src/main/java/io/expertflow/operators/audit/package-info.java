/**
 * Signed, chained audit records, as plain Java on the JDK's Ed25519: {@link
 * io.expertflow.operators.audit.AuditCanonicalForm} is the byte encoding a signature covers, {@link
 * io.expertflow.operators.audit.AuditSealer} signs a record and links it to its chain, {@link
 * io.expertflow.operators.audit.AuditVerifier} checks signatures and chains of records read back
 * and names each bad one. {@link io.expertflow.operators.audit.Ed25519Keys} reads, writes and makes
 * the keys. Nothing here reads Kafka or keeps document text.
 */
package io.expertflow.operators.audit;
