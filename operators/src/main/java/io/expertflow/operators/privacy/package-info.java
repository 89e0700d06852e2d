/**
 * Privacy accounting of the private weekly update (DP-SGD), free of Kafka and ONNX Runtime: {@link
 * io.expertflow.operators.privacy.RdpAccountant} gives the Rényi-DP cost of the subsampled Gaussian
 * mechanism and converts it to (epsilon, delta); {@link
 * io.expertflow.operators.privacy.PrivacySpend} is what one update spent and on whom; {@link
 * io.expertflow.operators.privacy.PrivacyLedger} sums the spends of every update a feedback user
 * took part in; {@link io.expertflow.operators.privacy.FeedbackUsers} names a feedback user without
 * keeping the id.
 */
package io.expertflow.operators.privacy;
