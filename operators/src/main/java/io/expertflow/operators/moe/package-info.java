/**
 * The MoE expert-router head as plain Java: its shape ({@link
 * io.expertflow.operators.moe.MoeHeadConfig}), its parameters ({@link
 * io.expertflow.operators.moe.MoeHeadWeights}) and a reference forward pass ({@link
 * io.expertflow.operators.moe.MoeHeadReference}) that the ONNX graph must reproduce.
 *
 * <p>The head maps a document embedding {@code x} (size H) to label probabilities:
 *
 * <ol>
 *   <li>gate logits {@code g = Wg x + bg} over E base experts;
 *   <li>selection: the k experts with the largest {@code g + routeBias} (the routing bias balances
 *       load and only affects which experts are chosen, never their weights); ties go to the lower
 *       index;
 *   <li>gate weights: softmax over the chosen experts' unbiased logits {@code g};
 *   <li>each base expert e computes label logits {@code y_e = W2_e relu(W1_e x + b1_e) + b2_e};
 *   <li>mixture {@code m = sum_j gate_j * y_(chosen_j)};
 *   <li>domain level: base expert e belongs to domain expert {@code e / (E / D)}; the domain whose
 *       chosen experts carry the largest total gate weight (ties to the lower index) combines the
 *       mixture: {@code logits = s_d * m + c_d} (element-wise scale and bias per label);
 *   <li>probabilities {@code softmax(logits)}.
 * </ol>
 *
 * <p>The maths core is one forward pass ({@link io.expertflow.operators.moe.MoeHeadReference}), one
 * backward pass ({@link io.expertflow.operators.moe.MoeBackprop}) and one optimizer ({@link
 * io.expertflow.operators.moe.MoeAdam}), each bounded by a {@link
 * io.expertflow.operators.moe.MoeParameterMask}: full training allows every parameter, an expert
 * update ({@code io.expertflow.operators.update}) only the chosen experts' scoped ones.
 *
 * <p>Training ({@link io.expertflow.operators.moe.MoeHeadTrainer}) minimises the cross-entropy
 * through the chosen experts and their gate softmax with Adam, by default by sparse upcycling: a
 * {@link io.expertflow.operators.moe.DenseStart} (one expert every document uses) is trained first,
 * copied into every expert, and the experts then specialise with an L2 pull toward it, never ending
 * worse on validation than that start. It balances expert load without an auxiliary loss: each
 * expert's routing bias moves after every batch towards the mean load. A trained head carries a
 * per-expert {@link io.expertflow.operators.moe.ReplayReservoir} of the training samples it routes
 * and is guarded by a fixed {@link io.expertflow.operators.moe.GuardSet}; both feed the weekly
 * expert updates.
 */
package io.expertflow.operators.moe;
