package io.expertflow.cli.demo;

/**
 * What the simulated week sent.
 *
 * @param traffic the week's documents and their answers
 * @param feedbackEvents feedback events sent inside the window
 * @param corrections of those, corrections of a wrong answer
 * @param closingEvents later events sent to close the window
 * @param window the window in event time
 */
public record WeekResult(
    PhaseResult traffic,
    int feedbackEvents,
    int corrections,
    int closingEvents,
    FeedbackWeek window) {}
