package io.expertflow.streams.review;

import io.expertflow.avro.ReviewVerdict;

/**
 * A reviewer's decision as the console received it, already checked against the queue and the label
 * set ({@code correctedLabel} set exactly for {@link ReviewVerdict#CORRECTED}). Immutable.
 */
public record ReviewVerdictRequest(
    ReviewItem item, ReviewVerdict verdict, String correctedLabel, String reviewer) {}
