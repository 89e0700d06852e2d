/**
 * Intake: {@code requests.inbound} -> decode, validate ({@link
 * io.expertflow.streams.intake.RequestValidator}), drop duplicates within a window -> {@code
 * requests} keyed by document id; every rejection becomes a dead letter. Built by {@link
 * io.expertflow.streams.intake.IntakeTopology#build}.
 */
package io.expertflow.streams.intake;
