/**
 * Feedback attribution: {@code feedback} events are validated, joined with the response they rate
 * (kept in a window store by request id), and emitted as one {@link
 * io.expertflow.avro.AttributedFeedback} per expert on {@code feedback.attributed}. Feedback that
 * arrives before its response waits in a store and is dead-lettered {@code UNMATCHED_FEEDBACK} when
 * its wait is over. Built by {@link io.expertflow.streams.feedback.FeedbackTopology#build}.
 */
package io.expertflow.streams.feedback;
