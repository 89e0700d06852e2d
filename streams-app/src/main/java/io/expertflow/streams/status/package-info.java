/**
 * Request status: a key-value store of each request's latest {@link
 * io.expertflow.streams.status.RequestStatus}, fed by {@code requests}, {@code dead-letters},
 * {@code responses} and the routed topics ({@link
 * io.expertflow.streams.status.RequestStatusTopology}), and served as JSON over HTTP at {@code GET
 * /v1/requests/{id}} ({@link io.expertflow.streams.status.RequestStatusServer}), forwarding to the
 * instance that owns the key when several run.
 */
package io.expertflow.streams.status;
