/**
 * Which failures are no fault of the record at hand: the one decision, shared by the streams app
 * and the worker, between "retry, the deployment is at fault" and "the record is bad". Each
 * application keeps its own mapping of the record's faults to dead-letter reasons.
 */
package io.expertflow.schemas.errors;
