/**
 * The review topology and the review queue: responses the compliance rules sent to review, with the
 * request's text, the rule that fired and the model's labels and experts, kept in a state store
 * rebuilt from the topics until a reviewer decides; and the writer of reviewers' decisions (a
 * {@code ReviewDecision} and, for a corrected label, a {@code FeedbackEvent}, in one Kafka
 * transaction). The console ({@code io.expertflow.streams.console}) shows and feeds it.
 */
package io.expertflow.streams.review;
